urlpatterns: list = []  # under /etablissement/<uai>/commission/
srane_urlpatterns: list = []  # under /srane/commission/
