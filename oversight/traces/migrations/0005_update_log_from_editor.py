# The update log's models, moved here from the editor app in state only: the tables
# the editor's migrations created (editor_doc*) are kept, names and rows alike.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('traces', '0004_submission_provenance'),
        ('editor', '0004_update_log_moves_to_traces'),
        ('workspace', '0003_help_texts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DocState',
                    fields=[
                        ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='doc_state', serialize=False, to='workspace.task')),
                        ('last_position', models.PositiveBigIntegerField(default=0, help_text='Position of the newest update.')),
                        ('last_seq', models.PositiveIntegerField(default=0, help_text="Newest edit event's seq.")),
                    ],
                    options={
                        'db_table': 'editor_docstate',
                    },
                ),
                migrations.CreateModel(
                    name='DocUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveBigIntegerField(help_text='Gapless 1-based position in the log.')),
                        ('client_id', models.BigIntegerField(default=0)),
                        ('server_ms', models.BigIntegerField()),
                        ('data', models.BinaryField()),
                        ('reported_kind', models.CharField(blank=True, max_length=40)),
                        ('round', models.PositiveIntegerField(default=1)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='doc_updates', to='workspace.task')),
                    ],
                    options={
                        'db_table': 'editor_docupdate',
                        'ordering': ['task_id', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('task', 'position'), name='update_position_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='DocSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveBigIntegerField()),
                        ('state', models.BinaryField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='doc_snapshots', to='workspace.task')),
                    ],
                    options={
                        'db_table': 'editor_docsnapshot',
                        'ordering': ['task_id', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='DocClient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('client_id', models.BigIntegerField()),
                        ('first_position', models.PositiveBigIntegerField(help_text='Log position of the first update that used the id.')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='doc_clients', to='workspace.task')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'editor_docclient',
                        'ordering': ['task_id', 'client_id'],
                        'constraints': [models.UniqueConstraint(fields=('task', 'client_id'), name='doc_client_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
