urlpatterns: list = []  # under /etablissement/<uai>/maintenance/
srane_urlpatterns: list = []  # under /srane/maintenance/
