"""How an office view handles a form or a POST action around one service call.

    form = forms.TariffForm(posted(request), ...)
    if submitted(request, form, lambda data: pricing.tariff_create(...), _("Added.")):
        return redirect(...)
    return render(request, "tariff_form", form=form)

The service's refusal (a `DomainError`) becomes a form error, or an error message
for a POST action; success flashes its message. Both return `Done` (truthy, holding
what the service returned) on success and `None` otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.template.response import TemplateResponse

from podium.core.errors import DomainError

T = TypeVar("T")
# A fixed text, or one made from what the service returned.
Message = str | Callable[[Any], str] | None


def posted(request):
    """The submitted data on a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def render(request, template: str, **context) -> TemplateResponse:
    """The office template `office/<template>.html` with `context`."""
    return TemplateResponse(request, f"office/{template}.html", context)


@dataclass(frozen=True)
class Done(Generic[T]):
    """The service ran; `result` is what it returned."""

    result: T


def _flash(request, message: Message, result) -> None:
    if callable(message):
        message = message(result)
    if message:
        messages.success(request, message)


def submitted(
    request, form, action: Callable[[dict[str, Any]], T], success: Message = None
) -> Done[T] | None:
    """Validate `form`, run `action(form.cleaned_data)` and flash `success`.

    An invalid form, or a `DomainError` from the action (shown on the form), gives
    None: the view renders the form again.
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        form.add_domain_error(error)
        return None
    _flash(request, success, result)
    return Done(result)


def attempted(
    request, action: Callable[[], T], success: Message = None
) -> Done[T] | None:
    """Run a POST-only action: flash `success`, or its `DomainError` as an error."""
    try:
        result = action()
    except DomainError as error:
        messages.error(request, str(error))
        return None
    _flash(request, success, result)
    return Done(result)
