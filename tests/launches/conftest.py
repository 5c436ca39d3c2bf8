import pytest

from tests.launches.factories import LaunchFactory
from tests.launches.factories import LaunchTaskFactory


@pytest.fixture
def blocked_blog(workspace):
    """A launch whose "Blog post" depends on "Write messaging", both still to do."""
    launch = LaunchFactory(workspace=workspace)
    messaging = LaunchTaskFactory(workspace=workspace, launch=launch, title="Write messaging")
    blog = LaunchTaskFactory(workspace=workspace, launch=launch, title="Blog post")
    blog.depends_on.set([messaging])
    return launch, messaging, blog
