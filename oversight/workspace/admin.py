"""Site administration of projects (rubrics, thresholds), memberships, tasks and drafts."""

from django.contrib import admin

from .models import Draft, GoldFlaw, Membership, Project, Task


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "language"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


class DraftInline(admin.StackedInline):
    model = Draft
    extra = 0
    # A draft is one half of every preference pair: shown, never edited here.
    readonly_fields = ["text", "model", "params", "source", "created_at"]
    can_delete = False


class GoldFlawInline(admin.TabularInline):
    """Planted flaws (a task with any is gold); leads plant them on /review/tasks/<id>/gold/."""

    model = GoldFlaw
    extra = 0
    readonly_fields = ["created_at"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["external_id", "project", "status", "round", "updated_at"]
    list_filter = ["project", "status"]
    search_fields = ["external_id", "prompt"]
    filter_horizontal = ["assignees"]
    readonly_fields = ["doc_id", "status", "round", "opened_at"]
    inlines = [DraftInline, GoldFlawInline]
