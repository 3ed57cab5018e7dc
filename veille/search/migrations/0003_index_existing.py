"""Index the scoops of an instance that had them before search came.

A fresh database has none and skips this. Otherwise it runs the current indexing code (the
index's format is that code's), which reads only named columns of scoops, tags and archives.
`veille search --rebuild` does the same at any time.
"""

from django.db import migrations


def index_existing(apps, schema_editor):
    if not apps.get_model("topics", "Scoop").objects.exists():
        return
    from veille.search.services import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backends"), ("capture", "0001_initial")]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
