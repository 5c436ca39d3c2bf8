"""The team loop: events recorded by the services that make a change, fanned out after
commit into in-app notifications, email and outbound webhooks; comments with @mentions on
the work; inbound release webhooks from GitHub, Jira and Linear.

Other apps record events (services.event_record) and register the objects that can be
commented on or named by an event (subjects.register); this package imports none of them.
"""
