urlpatterns = []
srane_urlpatterns = []
