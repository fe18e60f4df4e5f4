"""A school's attendance picture, read side only (KSAH §13, §25):

- `school_year`: one school's register for one school year, loaded once per request;
- `figures`: rates, periods, weekly figures and cohorts;
- `pupil_lists`: each pupil's figures, groups, filters and sorting;
- `n_codes`: N codes awaiting a reason;
- `school_dashboard`: the dashboard page's and statistics API's whole picture;
- `pupil_record`: one pupil's record at one school.
"""
