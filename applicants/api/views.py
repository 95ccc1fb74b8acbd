"""My startups, their members and invitations; my applications, their history
and attachments. Everything is fetched through member-only selectors, so what
belongs to another startup answers 404, never 403."""

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from applicants import selectors, services
from applicants.api.filters import ApplicationFilter
from applicants.api.permissions import CanRemoveMember, IsStartupOwner
from applicants.api.serializers import (
    ApplicationAnswersInputSerializer,
    ApplicationCreateInputSerializer,
    ApplicationDetailOutputSerializer,
    ApplicationOutputSerializer,
    AttachmentOutputSerializer,
    AttachmentUploadInputSerializer,
    EligibilityOutputSerializer,
    InvitationInputSerializer,
    InvitationOutputSerializer,
    MemberOutputSerializer,
    StartupInputSerializer,
    StartupOutputSerializer,
    StatusChangeOutputSerializer,
    WithdrawInputSerializer,
)
from applicants.models import Application, ApplicationStatusChange, Attachment, Invitation, Startup, StartupMember
from common.api import MethodCheckedMixin
from common.api_schema import error_responses
from common.parsers import JSONParser

# Every endpoint here needs a user: 401 without credentials, 403 when a
# session request fails the CSRF check; any request may be throttled.
AUTH_ERRORS = (401, 403, 429)


def _is_schema_view(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


# --- Startups -------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="My startups", responses={200: StartupOutputSerializer(many=True), **error_responses(*AUTH_ERRORS, 404)}
    ),
    create=extend_schema(
        summary="Create a startup (you become its owner)",
        request=StartupInputSerializer,
        responses={201: StartupOutputSerializer, **error_responses(400, *AUTH_ERRORS, 415)},
    ),
    retrieve=extend_schema(
        summary="One of my startups", responses={200: StartupOutputSerializer, **error_responses(*AUTH_ERRORS, 404)}
    ),
    partial_update=extend_schema(
        summary="Change a startup's profile (owners)",
        request=StartupInputSerializer,
        responses={200: StartupOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 415)},
    ),
)
class StartupViewSet(
    MethodCheckedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser]
    serializer_class = StartupOutputSerializer
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Startup]:
        if _is_schema_view(self):
            return Startup.objects.none()
        return selectors.startup_list_for_user(user=self.request.user)

    def get_permissions(self):
        if self.action == "partial_update":
            return [*super().get_permissions(), IsStartupOwner()]
        return super().get_permissions()

    def get_object(self) -> Startup:
        startup = selectors.startup_get_for_member(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, startup)
        return startup

    def create(self, request: Request) -> Response:
        serializer = StartupInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        startup = services.startup_create(user=request.user, **serializer.validated_data)
        startup = selectors.startup_get_for_member(user=request.user, pk=startup.pk)
        return Response(StartupOutputSerializer(startup).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: int) -> Response:
        startup = self.get_object()
        serializer = StartupInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        startup = services.startup_update(startup=startup, **serializer.validated_data)
        return Response(StartupOutputSerializer(startup).data)


class StartupChildMixin:
    # For resources under /startups/{startup_pk}/: the startup, members only.

    def get_startup(self) -> Startup:
        if not hasattr(self, "_startup"):
            self._startup = selectors.startup_get_for_member(user=self.request.user, pk=self.kwargs["startup_pk"])
        return self._startup


@extend_schema_view(
    list=extend_schema(
        summary="A startup's members",
        responses={200: MemberOutputSerializer(many=True), **error_responses(*AUTH_ERRORS, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a member (owners), or leave",
        responses={204: None, **error_responses(*AUTH_ERRORS, 404, 409)},
    ),
)
class MemberViewSet(
    MethodCheckedMixin, StartupChildMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = MemberOutputSerializer
    permission_classes = [permissions.IsAuthenticated, CanRemoveMember]

    def get_queryset(self) -> QuerySet[StartupMember]:
        if _is_schema_view(self):
            return StartupMember.objects.none()
        return selectors.member_list(startup=self.get_startup())

    def get_object(self) -> StartupMember:
        member = selectors.member_get_in_startup(startup=self.get_startup(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, member)
        return member

    def perform_destroy(self, instance: StartupMember) -> None:
        services.member_remove(member=instance)


@extend_schema_view(
    list=extend_schema(
        summary="A startup's invitations (owners)",
        responses={200: InvitationOutputSerializer(many=True), **error_responses(*AUTH_ERRORS, 404)},
    ),
    create=extend_schema(
        summary="Invite someone by e-mail (owners)",
        request=InvitationInputSerializer,
        responses={201: InvitationOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 409, 415)},
    ),
    destroy=extend_schema(
        summary="Revoke an invitation (owners)", responses={204: None, **error_responses(*AUTH_ERRORS, 404)}
    ),
)
class InvitationViewSet(
    MethodCheckedMixin,
    StartupChildMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser]
    serializer_class = InvitationOutputSerializer
    permission_classes = [permissions.IsAuthenticated, IsStartupOwner]

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        self.check_object_permissions(request, self.get_startup())

    def get_queryset(self) -> QuerySet[Invitation]:
        if _is_schema_view(self):
            return Invitation.objects.none()
        return selectors.invitation_list(startup=self.get_startup())

    def get_object(self) -> Invitation:
        return selectors.invitation_get(startup=self.get_startup(), pk=self.kwargs["pk"])

    def create(self, request: Request, startup_pk: int) -> Response:
        serializer = InvitationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            startup=self.get_startup(), invited_by=request.user, **serializer.validated_data
        )
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Invitation) -> None:
        services.invitation_revoke(invitation=instance)


# --- Applications ---------------------------------------------------------


def _detail(application: Application, request: Request) -> dict:
    return ApplicationDetailOutputSerializer(application, context={"request": request}).data


@extend_schema_view(
    list=extend_schema(
        summary="My startups' applications",
        responses={200: ApplicationOutputSerializer(many=True), **error_responses(400, *AUTH_ERRORS, 404)},
    ),
    create=extend_schema(
        summary="Start a draft application for one of my startups",
        request=ApplicationCreateInputSerializer,
        responses={201: ApplicationDetailOutputSerializer, **error_responses(400, *AUTH_ERRORS, 409, 415)},
    ),
    retrieve=extend_schema(
        summary="An application: answers, status, eligibility and attachments",
        responses={200: ApplicationDetailOutputSerializer, **error_responses(*AUTH_ERRORS, 404)},
    ),
    partial_update=extend_schema(
        summary="Save answers to a draft (all or nothing)",
        request=ApplicationAnswersInputSerializer,
        responses={200: ApplicationDetailOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 409, 415)},
    ),
)
class ApplicationViewSet(
    MethodCheckedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser]
    serializer_class = ApplicationOutputSerializer
    filterset_class = ApplicationFilter
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Application]:
        if _is_schema_view(self):
            return Application.objects.none()
        return selectors.application_list_for_user(user=self.request.user).order_by("-created_at", "-id")

    def get_object(self) -> Application:
        return selectors.application_get_for_member(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(_detail(self.get_object(), request))

    def create(self, request: Request) -> Response:
        serializer = ApplicationCreateInputSerializer(
            data=request.data, startups=selectors.startup_list_for_user(user=request.user)
        )
        serializer.is_valid(raise_exception=True)
        application = services.application_create(
            startup=serializer.validated_data["startup"], cohort=serializer.validated_data["round"], user=request.user
        )
        return Response(_detail(application, request), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: int) -> Response:
        application = self.get_object()
        serializer = ApplicationAnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_save_answers(application=application, answers=serializer.validated_data["answers"])
        return Response(_detail(application, request))

    @extend_schema(
        summary="Submit a draft",
        description=(
            "Checks the deadline and the required questions, then the eligibility rules: a hard failure "
            "makes the application ineligible (status `ineligible`, reasons in `eligibility`)."
        ),
        request=None,
        responses={200: ApplicationDetailOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        application = services.application_submit(application=self.get_object(), user=request.user)
        return Response(_detail(application, request))

    @extend_schema(
        summary="Withdraw an application",
        request=WithdrawInputSerializer,
        responses={200: ApplicationDetailOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        application = self.get_object()
        serializer = WithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_withdraw(
            application=application, user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(_detail(application, request))

    @extend_schema(
        summary="Eligibility as the application stands now (a preview, nothing is recorded)",
        responses={200: EligibilityOutputSerializer, **error_responses(*AUTH_ERRORS, 404)},
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request: Request, pk: int) -> Response:
        application = self.get_object()
        result = services.application_check_eligibility(application)
        names_itself = selectors.application_self_naming(application=application)
        return Response(EligibilityOutputSerializer({**result.as_dict(), "names_itself": names_itself}).data)


class ApplicationChildMixin:
    # For resources under /applications/{application_pk}/: members only.

    def get_application(self) -> Application:
        if not hasattr(self, "_application"):
            self._application = selectors.application_get_for_member(
                user=self.request.user, pk=self.kwargs["application_pk"]
            )
        return self._application


@extend_schema_view(
    list=extend_schema(
        summary="An application's status history, oldest first",
        responses={200: StatusChangeOutputSerializer(many=True), **error_responses(*AUTH_ERRORS, 404)},
    ),
)
class ApplicationHistoryViewSet(
    MethodCheckedMixin, ApplicationChildMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = StatusChangeOutputSerializer

    def get_queryset(self) -> QuerySet[ApplicationStatusChange]:
        if _is_schema_view(self):
            return ApplicationStatusChange.objects.none()
        return selectors.application_history(application=self.get_application())


DOWNLOAD_TYPES = ("application/pdf", "image/png", "image/jpeg")


@extend_schema_view(
    list=extend_schema(
        summary="An application's attachments",
        responses={200: AttachmentOutputSerializer(many=True), **error_responses(*AUTH_ERRORS, 404)},
    ),
    create=extend_schema(
        summary="Upload the file answering a file question (replaces an earlier one)",
        request={"multipart/form-data": AttachmentUploadInputSerializer},
        responses={201: AttachmentOutputSerializer, **error_responses(400, *AUTH_ERRORS, 404, 409, 415)},
    ),
    destroy=extend_schema(
        summary="Delete an attachment from a draft", responses={204: None, **error_responses(*AUTH_ERRORS, 404, 409)}
    ),
)
class AttachmentViewSet(
    MethodCheckedMixin,
    ApplicationChildMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AttachmentOutputSerializer
    parser_classes = [parsers.MultiPartParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        if _is_schema_view(self):
            return Attachment.objects.none()
        return selectors.attachment_list(application=self.get_application())

    def get_object(self) -> Attachment:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def create(self, request: Request, application_pk: int) -> Response:
        application = self.get_application()
        serializer = AttachmentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_upload(
            application=application,
            question_key=serializer.validated_data["question_key"],
            uploaded=serializer.validated_data["file"],
            user=request.user,
        )
        return Response(
            AttachmentOutputSerializer(attachment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance: Attachment) -> None:
        services.attachment_delete(attachment=instance)

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # A download answers with the file's own type whatever the client accepts;
        # only its errors go through a renderer.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        summary="Download an attachment (the startup's members and the program's managers)",
        responses={
            **{(200, media_type): OpenApiResponse(OpenApiTypes.BINARY) for media_type in DOWNLOAD_TYPES},
            **error_responses(*AUTH_ERRORS, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, application_pk: int, pk: int) -> FileResponse:
        attachment = selectors.attachment_get_for_viewer(user=request.user, application_pk=application_pk, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
