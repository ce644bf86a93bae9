"""Staff log-in: password, then the authenticator code; two-step set-up; password reset.

The user is logged in only once both steps succeeded. Between them the session holds
who is half-way (`PENDING_KEY`) for a few minutes and five tries; failed passwords and
codes count towards the lock-out of the username and the address.
"""

import time
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.core.client_ip import client_ip
from podium.sales.tickets.qr import qr_svg
from podium.tenancy import lockout
from podium.tenancy import two_factor as tfa
from podium.tenancy.models import StaffTOTP
from podium.tenancy.permissions import Action

from .access import office_view
from .flow import posted, render, submitted
from .forms import OfficeForm

PENDING_KEY = "podium_login_pending"
RECOVERY_CODES_KEY = "podium_recovery_codes"
CODE_TRIES = 5


class CodeForm(OfficeForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}
        ),
    )


def _locked_message() -> str:
    minutes = settings.PODIUM_LOGIN_LOCK_SECONDS // 60
    return _(
        "Too many failed attempts. Log-in is blocked for %(minutes)s minutes; "
        "try again later or reset your password."
    ) % {"minutes": minutes}


def staff_login(request, user, backend: str, next_url: str):
    """Log `user` in for a working day and go on: to the set-up page if they must."""
    auth_login(request, user, backend=backend)
    request.session.set_expiry(timedelta(seconds=settings.PODIUM_STAFF_SESSION_SECONDS))
    lockout.login_succeeded(username=user.get_username())
    if tfa.two_factor_setup_needed(user):
        messages.info(
            request, _("House administrators must set up two-step verification first.")
        )
        return redirect("office:two-factor")
    return redirect(next_url)


class LoginView(auth_views.LoginView):
    template_name = "office/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if lockout.login_locked(username=username, ip=client_ip(request)):
            return self._locked()
        return super().post(request, *args, **kwargs)

    def _locked(self):
        # An unbound form: the password is not even checked while locked.
        context = self.get_context_data(form=self.form_class(self.request))
        context["locked_message"] = _locked_message()
        return self.response_class(
            self.request, self.template_name, context, status=429
        )

    def form_invalid(self, form):
        username = form.data.get("username", "")
        if lockout.login_failed(username=username, ip=client_ip(self.request)):
            return self._locked()
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        if tfa.two_factor_device(user) is None:
            return staff_login(self.request, user, user.backend, self.get_success_url())
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "until": time.time() + settings.PODIUM_LOGIN_CODE_SECONDS,
            "tries": 0,
        }
        return redirect("office:login-code")


def _pending(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return pending, user


def login_code(request):
    """The second step: a code of the authenticator app, or a recovery code."""
    pending, user = _pending(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Log in again."))
        return redirect("office:login")
    username, ip = user.get_username(), client_ip(request)
    if lockout.login_locked(username=username, ip=ip):
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _locked_message())
        return redirect("office:login")
    form = CodeForm(posted(request))
    if form.is_valid():
        if tfa.two_factor_verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY)
            return staff_login(request, user, pending["backend"], pending["next"])
        pending["tries"] += 1
        locked = lockout.login_failed(username=username, ip=ip)
        if locked or pending["tries"] >= CODE_TRIES:
            request.session.pop(PENDING_KEY)
            messages.error(
                request,
                _locked_message()
                if locked
                else _("Too many wrong codes. Log in again."),
            )
            return redirect("office:login")
        request.session[PENDING_KEY] = pending
        form.add_error(
            "code", _("This code is not right. Type the code your app shows now.")
        )
    return render(request, "login_code", form=form)


def _secret_groups(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@office_view(Action.OFFICE_VIEW, two_factor_setup=True)
def two_factor(request):
    """Set up the authenticator (QR code, first code), or see that it is on."""
    user = request.user
    device = StaffTOTP.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        return render(
            request,
            "two_factor",
            device=device,
            recovery_codes=request.session.pop(RECOVERY_CODES_KEY, None),
            codes_left=tfa.recovery_codes_left(user),
            required=tfa.two_factor_required(user),
        )
    device = tfa.two_factor_start(user=user)
    form = CodeForm(posted(request))
    if done := submitted(
        request,
        form,
        lambda data: tfa.two_factor_confirm(user=user, code=data["code"]),
        _("Two-step verification is on."),
    ):
        request.session[RECOVERY_CODES_KEY] = done.result
        return redirect("office:two-factor")
    uri = tfa.two_factor_uri(device)
    return render(
        request,
        "two_factor_setup",
        form=form,
        uri=uri,
        # segno draws the URI as paths and escapes the title: safe markup.
        qr=mark_safe(  # noqa: S308
            qr_svg(uri, scale=5, title=_("QR code for your authenticator app"))
        ),
        secret=_secret_groups(tfa.two_factor_secret(device)),
        required=tfa.two_factor_required(user),
    )


@office_view(Action.OFFICE_VIEW)
def two_factor_disable(request):
    """Switch two-step verification off with a current code (not for house admins)."""
    user = request.user
    required = tfa.two_factor_required(user)
    device = tfa.two_factor_device(user)
    form = CodeForm(posted(request))
    if (
        device is not None
        and not required
        and submitted(
            request,
            form,
            lambda data: tfa.two_factor_disable(user=user, code=data["code"]),
            _("Two-step verification is off."),
        )
    ):
        return redirect("office:two-factor")
    return render(
        request, "two_factor_disable", form=form, device=device, required=required
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail; the same answer whether the address is known or not."""

    template_name = "office/password_reset_form.html"
    email_template_name = "office/password_reset_email.txt"
    subject_template_name = "office/password_reset_subject.txt"
    success_url = reverse_lazy("office:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "office/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "office/password_reset_confirm.html"
    success_url = reverse_lazy("office:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The new password is the owner's: lift a lock-out an attacker caused.
        lockout.login_unlock(username=self.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "office/password_reset_complete.html"
