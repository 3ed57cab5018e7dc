"""The API's operations, one module per resource; common.py holds what they share."""
