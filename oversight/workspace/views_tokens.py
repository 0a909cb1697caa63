"""The API token page: see whether you have a token, create or regenerate it, revoke it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import MANAGERS, OVERSEERS
from .models import Membership
from .tokens import token_create, token_of, tokens_revoke

TOKEN_REVOKED = "Your API token was revoked; programs using it are now refused."
NO_TOKEN_TO_REVOKE = "You have no API token to revoke."
UNKNOWN_ACTION = "Unknown action; use the buttons on this page."
KEY_PREFIX_CHARS = 6  # enough to tell tokens apart, too little to use one


def token_roles(user) -> dict:
    """Tell which kinds of work the user's token can do, from their roles in projects."""
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return {"writes": Membership.WRITER in roles or bool(roles & MANAGERS),
            "oversees": bool(roles & OVERSEERS) or user.is_superuser,
            "exports": bool(roles & MANAGERS) or user.is_superuser}


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """Show the user's token state; POST `create` makes a new key, `revoke` deletes it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            # Shown once, in this response only: the page never shows a whole key again.
            token, key = token_create(user=request.user)
            return render(request, "workspace/tokens.html", {
                "token": token, "new_key": key, "can": token_roles(request.user)})
        if action == "revoke":
            if tokens_revoke(user=request.user):
                messages.success(request, TOKEN_REVOKED)
            else:
                messages.error(request, NO_TOKEN_TO_REVOKE)
        else:
            messages.error(request, UNKNOWN_ACTION)
        return redirect("api-tokens")
    token = token_of(request.user)
    return render(request, "workspace/tokens.html", {
        "token": token, "key_prefix": token.token_key[:KEY_PREFIX_CHARS] if token else "",
        "can": token_roles(request.user)})
