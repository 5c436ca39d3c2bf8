"""Inbound release webhooks from GitHub, Jira and Linear (to be written)."""


def inbound_hook_get(*, workspace):
    raise NotImplementedError


def inbound_hook_rotate(*, actor, workspace):
    raise NotImplementedError


def inbound_hook_receive(*, workspace, source: str, headers, body: bytes):
    raise NotImplementedError
