"""(to be written)"""


def comment_create(request, workspace_slug, subject_type, subject_id):
    raise NotImplementedError


def mention_candidates(request, workspace_slug):
    raise NotImplementedError
