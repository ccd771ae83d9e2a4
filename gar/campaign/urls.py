urlpatterns: list = []  # under /etablissement/<uai>/gar/
srane_urlpatterns: list = []  # under /srane/gar/
