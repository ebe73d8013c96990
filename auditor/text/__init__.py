"""Text understanding shared by all rules: normalisation, money, dates, lexicons."""
