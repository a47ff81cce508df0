"""Share: what a node gives its peers — the distribution policy, STIX 2.1 and TAXII 2.1.

``policy`` decides what may leave the node, ``stix`` maps indicators to STIX (pure),
``publish`` keeps the served objects current, ``taxii_server`` serves them,
``importer`` and ``misp`` bring peers' data in; peers and sync live beside them.
"""
