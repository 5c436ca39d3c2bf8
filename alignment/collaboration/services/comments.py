"""Comments and @mentions (to be written)."""


def comment_create(*, actor, workspace, subject_type: str, subject_id, body: str):
    raise NotImplementedError
