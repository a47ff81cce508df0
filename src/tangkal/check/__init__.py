"""Check: answer "is this number / account / link / wallet a scam?" with a verdict and evidence."""
