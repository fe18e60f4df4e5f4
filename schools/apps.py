from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools and registers"

    def ready(self) -> None:
        # Import formats need the models, so they are registered once the apps are loaded.
        from schools.imports.kinds import register_school_import_kinds

        register_school_import_kinds()
