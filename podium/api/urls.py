from ninja import NinjaAPI

api = NinjaAPI(title="Podium API", version="1", urls_namespace="api")
