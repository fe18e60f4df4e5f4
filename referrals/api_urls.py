"""The Digital Front Door's API routes, included under /api/v1/ by the top floor."""

from django.urls import path

from referrals import api

urlpatterns = [
    path("referrals/", api.SubmissionListCreateView.as_view(), name="api-referrals"),
    path("referrals/pathways/", api.PathwayListView.as_view(), name="api-referral-pathways"),
    path("referrals/<str:reference>/", api.SubmissionDetailView.as_view(), name="api-referral"),
]
