"""The staff back office: thin views that call one catalogue service or selector."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from podium.catalog import selectors, services
from podium.tenancy.middleware import SESSION_HOUSE_KEY
from podium.tenancy.permissions import Action, can

from . import forms
from .access import load, office_view
from .checkin_views import door_counts
from .flow import attempted, posted, render, submitted
from .sales_reads import performances_sales_summary


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("office:login")


@office_view(Action.OFFICE_VIEW)
def home(request):
    performances = selectors.performance_upcoming(house=request.house)[:50]
    return render(
        request,
        "home",
        performances=performances,
        door=door_counts(request.house),
    )


@office_view(Action.OFFICE_VIEW)
@require_POST
def house_switch(request):
    form = forms.HouseSwitchForm(request.POST, houses=request.office_houses)
    if not form.is_valid():
        return TemplateResponse(request, "office/forbidden.html", status=403)
    request.session[SESSION_HOUSE_KEY] = form.cleaned_data["house"]
    return redirect("office:home")


@office_view(Action.PRODUCTION_VIEW)
def production_list(request):
    productions = selectors.production_overview(house=request.house)
    return render(request, "production_list", productions=productions)


@office_view(Action.PRODUCTION_VIEW)
def production_detail(request, pk):
    production = load(selectors.production_get, house=request.house, pk=pk)
    performances = list(
        selectors.production_performances(house=request.house, production=production)
    )
    sales = performances_sales_summary(house=request.house, performances=performances)
    return render(
        request,
        "production_detail",
        production=production,
        performances=[(p, sales[p.pk]) for p in performances],
        image_form=forms.ImageForm(),
        video_form=forms.VideoForm(),
        press_quote_form=forms.PressQuoteForm(),
    )


@office_view(Action.PRODUCTION_CREATE)
def production_create(request):
    artists = selectors.artist_list(house=request.house)
    form = forms.ProductionForm(posted(request), artists=artists)
    if done := submitted(
        request,
        form,
        lambda data: services.production_create(
            house=request.house, actor=request.user, **data
        ),
        _("The production was created."),
    ):
        return redirect("office:production-detail", pk=done.result.pk)
    return render(request, "production_create", form=form)


@office_view(Action.PRODUCTION_EDIT)
def production_edit(request, pk):
    production = load(selectors.production_get, house=request.house, pk=pk)
    artists = selectors.artist_list(house=request.house)
    form = forms.ProductionForm(posted(request), artists=artists, production=production)
    if submitted(
        request,
        form,
        lambda data: services.production_update(
            house=request.house, actor=request.user, production=production, **data
        ),
        _("The production was saved."),
    ):
        return redirect("office:production-detail", pk=production.pk)
    return render(request, "production_edit", form=form, production=production)


@office_view(Action.PRODUCTION_CREATE)
@require_POST
def production_duplicate(request, pk):
    production = load(selectors.production_get, house=request.house, pk=pk)
    if done := attempted(
        request,
        lambda: services.production_duplicate(
            house=request.house, actor=request.user, production=production
        ),
        _("This is a copy: change what differs and save."),
    ):
        return redirect("office:production-edit", pk=done.result.pk)
    return redirect("office:production-detail", pk=production.pk)


def _add_to_production(request, pk, form_class, service, template):
    """The image, video and press quote forms: one shape, one service each."""
    production = load(selectors.production_get, house=request.house, pk=pk)
    form = form_class(posted(request), request.FILES or None)
    if submitted(
        request,
        form,
        lambda data: service(
            house=request.house, actor=request.user, production=production, **data
        ),
        _("Added to the production."),
    ):
        return redirect("office:production-detail", pk=production.pk)
    return render(request, template, form=form, production=production)


@office_view(Action.PRODUCTION_EDIT)
def image_add(request, pk):
    return _add_to_production(
        request, pk, forms.ImageForm, services.production_image_add, "image_add"
    )


@office_view(Action.PRODUCTION_EDIT)
def video_add(request, pk):
    return _add_to_production(
        request, pk, forms.VideoForm, services.video_add, "video_add"
    )


@office_view(Action.PRODUCTION_EDIT)
def press_quote_add(request, pk):
    return _add_to_production(
        request, pk, forms.PressQuoteForm, services.press_quote_add, "press_quote_add"
    )


def _performances_added(created) -> str:
    message = ngettext(
        "%(count)d performance was added.",
        "%(count)d performances were added.",
        len(created),
    )
    return message % {"count": len(created)}


@office_view(Action.PERFORMANCE_SCHEDULE)
def series_create(request, pk):
    production = load(selectors.production_get, house=request.house, pk=pk)
    form = forms.SeriesForm(posted(request), house=request.house, production=production)
    if submitted(
        request,
        form,
        lambda _data: services.performance_series_create(
            house=request.house,
            actor=request.user,
            production=production,
            **form.series_kwargs(),
        ),
        _performances_added,
    ):
        return redirect("office:production-detail", pk=production.pk)
    return render(request, "series_create", form=form, production=production)


@office_view(Action.PERFORMANCE_STATUS)
def performance_edit(request, pk):
    performance = load(selectors.performance_get, house=request.house, pk=pk)
    may_schedule = can(request.user, Action.PERFORMANCE_SCHEDULE, request.house)
    form = forms.PerformanceForm(
        posted(request),
        house=request.house,
        performance=performance,
        may_schedule=may_schedule,
    )

    def update(data):
        fields = {
            name: value
            for name, value in data.items()
            if may_schedule or name not in forms.SCHEDULE_FIELDS
        }
        return services.performance_update(
            house=request.house, actor=request.user, performance=performance, **fields
        )

    if submitted(request, form, update, _("The performance was saved.")):
        return redirect("office:production-detail", pk=performance.production_id)
    return render(request, "performance_edit", form=form, performance=performance)
