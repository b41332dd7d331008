"""The Talk API service layer: the only code in TalkAdmin that talks to Zendesk."""
