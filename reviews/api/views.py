"""The review flow's API. Every view reaches its rows through a selector that
answers 404 for what the caller may not see; services do the writing."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from applicants.enums import ApplicationStatus
from applicants.models import Application
from common.api_schema import error_responses
from reviews import rules, selectors
from reviews.api import serializers as s
from reviews.models import Assignment, Offer, Review
from reviews.services.decisions import decision_make, decision_make_bulk
from reviews.services.offers import offer_accept, offer_decline
from reviews.services.reviewing import review_save, review_submit

# --- Reviewer ---------------------------------------------------------------------


class AssignmentCursorPagination(CursorPagination):
    """Keyset pages: no COUNT(*) per page, and a late page costs what the first does."""

    ordering = ("due_at", "id")
    page_size = 50


class AssignmentFilter(django_filters.FilterSet):
    cohort = django_filters.NumberFilter(field_name="application__cohort")

    class Meta:
        model = Assignment
        fields = ["cohort", "stage"]


def reviewer_assignment(request: Request, pk: int) -> Assignment:
    assignment = selectors.assignment_get_for_reviewer(user=request.user, pk=pk)
    if not rules.can_review(request.user, assignment):
        raise Http404
    return assignment


class AssignmentViewSet(viewsets.GenericViewSet):
    """The caller's review assignments, blind-aware."""

    serializer_class = s.AssignmentListOutputSerializer
    filterset_class = AssignmentFilter
    pagination_class = AssignmentCursorPagination
    queryset = Assignment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.assignment_list_for_reviewer(user=self.request.user)

    @extend_schema(responses={200: s.AssignmentListOutputSerializer(many=True), **error_responses(400, 401, 403)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.AssignmentListOutputSerializer(page, many=True).data)

    @extend_schema(responses={200: s.AssignmentDetailOutputSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, pk: int) -> Response:
        assignment = reviewer_assignment(request, pk)
        review = selectors.review_get(assignment=assignment)
        data = {
            "id": assignment.pk,
            "stage": assignment.stage,
            "due_at": assignment.due_at,
            "review_state": "not_started" if review is None else ("submitted" if review.submitted_at else "draft"),
            "application": selectors.application_for_reviewer(assignment=assignment),
            "criteria": list(assignment.application.cohort.program.criteria.all()),
            "review": review,
        }
        return Response(s.AssignmentDetailOutputSerializer(data).data)


class ReviewView(APIView):
    """The caller's review of one assignment: read it, start it, change the draft."""

    def review(self, assignment: Assignment) -> Review:
        review = selectors.review_get(assignment=assignment)
        if review is None:
            raise Http404
        return review

    @extend_schema(responses={200: s.ReviewOutputSerializer, **error_responses(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ReviewOutputSerializer(self.review(reviewer_assignment(request, pk))).data)

    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={201: s.ReviewOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = reviewer_assignment(request, pk)
        if Review.objects.filter(assignment=assignment).exists():
            return Response({"review": ["A review already exists; change it with PATCH."]}, status=409)
        return self._save(request, assignment, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={200: s.ReviewOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        assignment = reviewer_assignment(request, pk)
        self.review(assignment)
        return self._save(request, assignment, status.HTTP_200_OK)

    def _save(self, request: Request, assignment: Assignment, code: int) -> Response:
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_save(assignment=assignment, reviewer=request.user, **data.service_arguments())
        return Response(s.ReviewOutputSerializer(selectors.review_get(assignment=assignment) or review).data, code)


class ReviewSubmitView(APIView):
    @extend_schema(
        request=s.ReviewInputSerializer,
        responses={200: s.ReviewOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Save what is given, then submit: every criterion scored and a recommendation chosen.",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = reviewer_assignment(request, pk)
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review_submit(assignment=assignment, reviewer=request.user, **data.service_arguments())
        return Response(s.ReviewOutputSerializer(selectors.review_get(assignment=assignment)).data)


# --- Manager ----------------------------------------------------------------------


class RankingView(generics.GenericAPIView):
    """The round's applications ranked by normalised mean, best first."""

    serializer_class = s.RankingRowOutputSerializer
    filter_backends: list = []

    @extend_schema(responses={200: s.RankingRowOutputSerializer(many=True), **error_responses(401, 403, 404)})
    def get(self, request: Request, cohort_pk: int) -> Response:
        cohort = selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
        page = self.paginate_queryset(selectors.ranking_list(cohort=cohort))
        selectors.ranking_attach_applications(page)
        return self.get_paginated_response(s.RankingRowOutputSerializer(page, many=True).data)


class RoundApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = ["status"]


class RoundApplicationCursorPagination(CursorPagination):
    """Keyset pages over a round of any size: no COUNT(*) over the round on
    every page (the round's totals are on its overview, from the funnel)."""

    ordering = ("-submitted_at", "-id")
    page_size = 50


class RoundApplicationListView(generics.ListAPIView):
    """A round's applications past the draft stage, for its managers."""

    serializer_class = s.RoundApplicationOutputSerializer
    pagination_class = RoundApplicationCursorPagination
    queryset = Application.objects.none()
    filter_backends: list = []

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ApplicationStatus.values)],
        responses={200: s.RoundApplicationOutputSerializer(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, cohort_pk: int) -> Response:
        filters = RoundApplicationFilter(request.query_params, queryset=Application.objects.none())
        if not filters.is_valid():
            selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
            return Response(filters.errors, status=status.HTTP_400_BAD_REQUEST)
        rows = selectors.round_application_list(
            user=request.user, cohort_pk=cohort_pk, status=filters.form.cleaned_data.get("status") or None
        )
        page = self.paginate_queryset(rows)
        if not page:
            # An empty page: an empty round, or one the caller may not see (404).
            selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
        return self.get_paginated_response(s.RoundApplicationOutputSerializer(page, many=True).data)


class DecisionView(generics.GenericAPIView):
    serializer_class = s.DecisionOutputSerializer
    filter_backends: list = []

    @extend_schema(responses={200: s.DecisionOutputSerializer(many=True), **error_responses(401, 403, 404)})
    def get(self, request: Request, cohort_pk: int) -> Response:
        cohort = selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
        page = self.paginate_queryset(selectors.decision_list(cohort=cohort))
        return self.get_paginated_response(s.DecisionOutputSerializer(page, many=True).data)

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses={201: s.DecisionOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Accept (within the round's capacity, making an offer), waitlist or reject one application.",
    )
    def post(self, request: Request, cohort_pk: int) -> Response:
        cohort = selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = cohort.applications.filter(pk=data.validated_data["application"]).first()
        if application is None:
            raise Http404
        decision = decision_make(
            application=application,
            kind=data.validated_data["decision"],
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(s.DecisionOutputSerializer(decision).data, status=status.HTTP_201_CREATED)


class BulkDecisionView(APIView):
    @extend_schema(
        request=s.BulkDecisionInputSerializer,
        responses={200: s.BulkOutcomeOutputSerializer(many=True), **error_responses(400, 401, 403, 404)},
        description="Decide many applications in the order given; each succeeds or fails on its own.",
    )
    def post(self, request: Request, cohort_pk: int) -> Response:
        cohort = selectors.cohort_get_for_manager(user=request.user, pk=cohort_pk)
        data = s.BulkDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = decision_make_bulk(
            cohort=cohort,
            application_ids=data.validated_data["applications"],
            kind=data.validated_data["decision"],
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(s.BulkOutcomeOutputSerializer(outcomes, many=True).data)


# --- Startup ----------------------------------------------------------------------


class OfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Offers of a place made to the caller's startups."""

    serializer_class = s.OfferOutputSerializer
    filter_backends: list = []
    queryset = Offer.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.offer_list_for_user(user=self.request.user)

    @extend_schema(responses={200: s.OfferOutputSerializer(many=True), **error_responses(401, 403)})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: s.OfferOutputSerializer, **error_responses(401, 403, 404)})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def member_offer(self, request: Request, pk: int):
        offer = selectors.offer_get_for_member(user=request.user, pk=pk)
        if not rules.can_respond_to_offer(request.user, offer):
            raise Http404
        return offer

    @extend_schema(
        request=None,
        responses={200: s.OfferOutputSerializer, **error_responses(401, 403, 404, 409)},
        description="Take up the place. Answers 409 once the offer is answered or past its deadline.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        offer = self.member_offer(request, pk)
        offer_accept(offer=offer, user=request.user)
        return Response(s.OfferOutputSerializer(offer).data)

    @extend_schema(
        request=s.OfferDeclineInputSerializer,
        responses={200: s.OfferOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="Turn the place down; it goes to the top of the waitlist.",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        offer = self.member_offer(request, pk)
        data = s.OfferDeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer_decline(offer=offer, user=request.user, reason=data.validated_data["reason"])
        return Response(s.OfferOutputSerializer(offer).data)
