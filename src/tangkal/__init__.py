"""Tangkal: report, check, detect, share, link, act and measure online scams across ASEAN."""
