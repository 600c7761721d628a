"""ASN training-evaluation toolkit."""
