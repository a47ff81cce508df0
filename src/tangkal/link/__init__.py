"""Link: a network is the set of reports joined, directly or through others, by shared
indicators."""
