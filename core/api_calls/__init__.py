"""What every service-layer package (talk/ for Zendesk, yeastar/ for a Yeastar PBX) shares
about the API calls it makes: how each call is reported to whoever keeps the record (the audit
log), and how secrets are masked before anything keeps a body.

Plain Python with no dependency (not even Django), so any layer may import it.
"""
