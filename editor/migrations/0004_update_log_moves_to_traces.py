# The update log's models moved to the traces app (oversight/traces/models.py): the
# record owns its log. Only Django's state changes; the tables stay, with their names
# and rows, and belong to traces from its migration 0005 on.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('editor', '0003_yjs_client_bindings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DocClient'),
                migrations.DeleteModel(name='DocSnapshot'),
                migrations.DeleteModel(name='DocState'),
                migrations.DeleteModel(name='DocUpdate'),
            ],
            database_operations=[],
        ),
    ]
