"""On PostgreSQL, make the register a table partitioned by academic year (DESIGN: Store)."""

from django.db import migrations

from schools.partitions import FIRST_PARTITIONED_YEAR, LAST_PRECREATED_YEAR, MARK_TABLE

CREATE_PARTITIONED = f"""
DROP TABLE {MARK_TABLE};
CREATE TABLE {MARK_TABLE} (
    school_id bigint NOT NULL,
    pupil_id bigint NOT NULL,
    date date NOT NULL,
    session smallint NOT NULL,
    code varchar(2) NOT NULL,
    source_import_id bigint NULL,
    recorded_at timestamp with time zone NOT NULL,
    PRIMARY KEY (school_id, date, pupil_id, session)
) PARTITION BY RANGE (date);
"""


def partition_register(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_PARTITIONED)
    for year in range(FIRST_PARTITIONED_YEAR, LAST_PRECREATED_YEAR + 1):
        schema_editor.execute(
            f"CREATE TABLE {MARK_TABLE}_y{year} PARTITION OF {MARK_TABLE} "
            f"FOR VALUES FROM ('{year}-08-01') TO ('{year + 1}-08-01')"
        )


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(partition_register, migrations.RunPython.noop)]
