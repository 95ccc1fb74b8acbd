from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.models import Application
from common.errors import DomainError
from reviews import rules, selectors
from reviews.enums import DecisionKind, OfferStatus
from reviews.forms import ConflictForm, DecisionForm, ManualAssignmentForm, OfferResponseForm, ReviewForm
from reviews.models import Assignment
from reviews.services.assignment import (
    assignment_create,
    assignment_delete,
    assignment_preview,
    assignment_run_enqueue,
    conflict_declare,
)
from reviews.services.decisions import decision_make_bulk
from reviews.services.offers import offer_accept, offer_decline
from reviews.services.reviewing import review_save, review_submit

# --- Reviewer ----------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    assignments = selectors.assignment_list_for_reviewer(user=request.user)
    return render(request, "reviews/queue.html", {"assignments": assignments})


def _reviewer_assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = selectors.assignment_get_for_reviewer(user=request.user, pk=pk)
    if not rules.can_review(request.user, assignment):
        raise Http404
    return assignment


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _reviewer_assignment(request, pk)
    program = assignment.application.cohort.program
    criteria = list(program.criteria.all())
    review = selectors.review_get(assignment=assignment)
    read_only = (review is not None and review.is_submitted) or assignment.application.status != "in_review"
    initial = {}
    if review is not None:
        initial = {"comment": review.comment, "feedback": review.feedback, "recommendation": review.recommendation}
        initial.update({f"criterion_{score.criterion_id}": score.value for score in review.scores.all()})
    form = ReviewForm(
        request.POST if request.method == "POST" else None, criteria=criteria, disabled=read_only, initial=initial
    )
    if request.method == "POST" and not read_only and form.is_valid():
        submit = request.POST.get("action") == "submit"
        service = review_submit if submit else review_save
        try:
            service(assignment=assignment, reviewer=request.user, **form.service_arguments())
        except DomainError as error:
            form.add_domain_error(error)
            if submit:
                messages.info(request, "Your draft is saved; complete it to submit.")
        else:
            if submit:
                messages.success(request, "Your review is submitted. Thank you.")
                return redirect("reviews:queue")
            messages.success(request, "Draft saved.")
            return redirect(assignment.get_absolute_url())
    context = {
        "assignment": assignment,
        "application": selectors.application_for_reviewer(assignment=assignment),
        "form": form,
        "review": review,
        "read_only": read_only,
        "conflict_form": ConflictForm(),
    }
    return render(request, "reviews/assignment_detail.html", context)


@login_required
@require_POST
def assignment_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _reviewer_assignment(request, pk)
    form = ConflictForm(request.POST)
    form.is_valid()
    conflict_declare(assignment=assignment, reviewer=request.user, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, "Conflict of interest recorded; the application was taken off your queue.")
    return redirect("reviews:queue")


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, question_key: str) -> FileResponse:
    """A file of the application under a neutral name, so that a blind review
    does not learn the startup's name from what it called its files."""
    assignment = _reviewer_assignment(request, pk)
    attachment = selectors.attachment_get_for_reviewer(assignment=assignment, question_key=question_key)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=selectors.neutral_attachment_name(attachment),
        content_type=attachment.content_type,
    )


# --- Manager -----------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/round_list.html", {"cohorts": selectors.cohort_list_for_manager(user=request.user)})


@login_required
@require_GET
def round_overview(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_manager(user=request.user, pk=pk)
    context = {"cohort": cohort, "funnel": selectors.cohort_funnel(cohort=cohort), "tab": "overview"}
    return render(request, "reviews/round_overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_manager(user=request.user, pk=pk)
    if request.method == "POST":
        # The run can take a while on a large round: a worker does it.
        if assignment_run_enqueue(cohort=cohort, actor=request.user):
            messages.success(request, "Assignment started. Refresh in a moment to see it.")
        else:
            messages.error(
                request, "The assignment could not be started: the task queue is not answering. Try again in a minute."
            )
        return redirect("reviews:round-assignments", pk=cohort.pk)
    reviewers = list(selectors.reviewer_list_for_cohort(cohort=cohort))
    plan = assignment_preview(cohort=cohort) if request.GET.get("preview") else None
    names = {reviewer.pk: str(reviewer) for reviewer in reviewers}
    context = {
        "cohort": cohort,
        "tab": "assignments",
        "applications": selectors.application_list_for_assignment(cohort=cohort),
        "reviewers": reviewers,
        "plan": plan,
        "plan_rows": [(application_id, names.get(reviewer_id, reviewer_id)) for application_id, reviewer_id in plan.new]
        if plan
        else [],
        "assign_form": ManualAssignmentForm(reviewers=reviewers),
    }
    return render(request, "reviews/round_assignments.html", context)


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_manager(user=request.user, pk=pk)
    form = ManualAssignmentForm(request.POST, reviewers=selectors.reviewer_list_for_cohort(cohort=cohort))
    if not form.is_valid():
        messages.error(request, "Choose a reviewer of this program.")
        return redirect("reviews:round-assignments", pk=cohort.pk)
    application = get_object_or_404(
        Application.objects.select_related("cohort__program"), pk=form.cleaned_data["application"], cohort=cohort
    )
    reviewer = selectors.reviewer_list_for_cohort(cohort=cohort).get(pk=form.cleaned_data["reviewer"])
    try:
        assignment_create(application=application, reviewer=reviewer, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{reviewer} now reviews application #{application.pk}.")
    return redirect("reviews:round-assignments", pk=cohort.pk)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_manager(user=request.user, pk=pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, application__cohort=cohort)
    try:
        assignment_delete(assignment=assignment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Assignment removed.")
    return redirect("reviews:round-assignments", pk=cohort.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get_for_manager(user=request.user, pk=pk)
    rows = selectors.ranking_attach_applications(selectors.ranking_list(cohort=cohort))
    form = DecisionForm(request.POST or None, application_ids=[row.application_id for row in rows])
    if request.method == "POST" and form.is_valid():
        outcomes = decision_make_bulk(
            cohort=cohort,
            application_ids=form.cleaned_data["applications"],
            kind=form.cleaned_data["kind"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        done = [outcome for outcome in outcomes if outcome.ok]
        label = DecisionKind(form.cleaned_data["kind"]).label.lower()
        if done:
            messages.success(request, f"{label.capitalize()}: {len(done)} application{'s' if len(done) != 1 else ''}.")
        for outcome in outcomes:
            if not outcome.ok:
                messages.error(request, f"Application #{outcome.application_id}: {outcome.error}")
        return redirect("reviews:round-ranking", pk=cohort.pk)
    accepted = sum(1 for row in rows if row.application and row.application.status == "accepted")
    context = {
        "cohort": cohort,
        "tab": "ranking",
        "rows": rows,
        "toughness": selectors.reviewer_toughness(cohort=cohort),
        "form": form,
        "accepted": accepted,
        "decision_kinds": DecisionKind.choices,
    }
    return render(request, "reviews/round_ranking.html", context)


# --- Startup -----------------------------------------------------------------------


@login_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/offer_list.html", {"offers": selectors.offer_list_for_user(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_member(user=request.user, pk=pk)
    form = OfferResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not rules.can_respond_to_offer(request.user, offer):
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "accept":
                offer_accept(offer=offer, user=request.user)
                messages.success(request, "Welcome aboard: you accepted your place.")
            elif action == "decline":
                offer_decline(offer=offer, user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, "You declined the offer. Thank you for letting us know.")
            else:
                form.add_error(None, "Choose to accept or decline.")
        except DomainError as error:
            form.add_error(None, error.message)
        if not form.errors:
            return redirect(offer.get_absolute_url())
    context = {"offer": offer, "form": form, "is_open": offer.status == OfferStatus.OFFERED}
    return render(request, "reviews/offer_detail.html", context)
