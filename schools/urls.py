"""Attendance pages of one school: /schools/<urn>/... (the list /schools/ is kpas's)."""

from django.urls import re_path

from schools.views import dashboard, pupil_record

URN = r"(?P<urn>\d{6,8})"
UPN = r"(?P<upn>[A-Za-z0-9]{13})"

urlpatterns = [
    re_path(rf"^{URN}/$", dashboard.school_dashboard, name="school-dashboard"),
    re_path(rf"^{URN}/pupils/$", dashboard.school_pupils, name="school-pupils"),
    re_path(rf"^{URN}/n-codes/$", dashboard.school_n_codes, name="school-n-codes"),
    re_path(rf"^{URN}/pupils/{UPN}/$", pupil_record.pupil_detail, name="pupil-detail"),
]
