from django import forms

from oversight.workspace.models import Project


class ModelHelpForm(forms.ModelForm):
    """The project's model-help settings, as leads change them on its settings page."""

    class Meta:
        model = Project
        fields = ["model_help", "assist_daily_budget"]
        labels = {"model_help": "Model help in the editor",
                  "assist_daily_budget": "Requests per writer per day (UTC)"}
        help_texts = {"model_help": "", "assist_daily_budget": ""}  # the page explains them
