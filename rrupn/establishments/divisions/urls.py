app_name = "divisions"

urlpatterns: list = []  # under /etablissement/<uai>/classes/
