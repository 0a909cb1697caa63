"""The editor keeps no models: the update log it relays is the trace's (oversight/traces/models.py).

This module stays so that the app's models are looked up here, and found empty.
"""
