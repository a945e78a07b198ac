"""Data files for the parsers (see build_admin1.py for how admin1.txt is made)."""
