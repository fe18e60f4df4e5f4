"""The schools a user may see (/schools/) and one school's attendance pages."""

from django.urls import path, re_path

from schools.views import dashboard, pupil_record, school_list

URN = r"(?P<urn>\d{6,8})"
UPN = r"(?P<upn>[A-Za-z0-9]{13})"

urlpatterns = [
    path("", school_list.school_list, name="schools"),
    re_path(rf"^{URN}/$", dashboard.school_dashboard, name="school-dashboard"),
    re_path(rf"^{URN}/pupils/$", dashboard.school_pupils, name="school-pupils"),
    re_path(rf"^{URN}/n-codes/$", dashboard.school_n_codes, name="school-n-codes"),
    re_path(rf"^{URN}/pupils/{UPN}/$", pupil_record.pupil_detail, name="pupil-detail"),
]
