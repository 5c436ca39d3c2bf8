from django import template

from metrics.selectors import diagnoses_for_subject

register = template.Library()


@register.simple_tag(takes_context=True)
def subject_diagnoses(context, subject_type, subject_id):
    """The live diagnoses of one subject of the page's workspace."""
    workspace = context.get("workspace")
    if workspace is None or not subject_id:
        return []
    return diagnoses_for_subject(workspace, subject_type, subject_id)
