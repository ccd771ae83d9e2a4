"""The commission's pages, one module per part (members and meetings, project, training…)."""

from .members.urls import urlpatterns as members
from .practices.urls import urlpatterns as practices
from .project.urls import urlpatterns as project
from .purchases.urls import urlpatterns as purchases
from .rgpd.urls import urlpatterns as rgpd
from .tools.urls import urlpatterns as tools
from .training.urls import urlpatterns as training

app_name = "commission"

urlpatterns = [*members, *project, *training, *purchases, *practices, *tools, *rgpd]
