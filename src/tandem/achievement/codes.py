"""The code lists student data is stored in. Importers translate a file's own codes into these."""

from django.db import models


class Race(models.TextChoices):
    HISPANIC = "hispanic", "Hispanic or Latino"
    AFRICAN_AMERICAN = "african_american", "Black or African American"
    ASIAN = "asian", "Asian"
    FILIPINO = "filipino", "Filipino"
    WHITE = "white", "White"
    AMERICAN_INDIAN = "american_indian", "American Indian or Alaska Native"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Pacific Islander"
    TWO_OR_MORE = "two_or_more", "Two or more races"
    NOT_REPORTED = "not_reported", "Not reported"


class Fluency(models.TextChoices):
    """English-language acquisition status, as California reports it."""

    EO = "EO", "English only"
    IFEP = "IFEP", "Initially fluent English proficient"
    EL = "EL", "English learner"
    RFEP = "RFEP", "Reclassified fluent English proficient"
    TBD = "TBD", "To be determined"
    # A file that says only "not an English learner" (SGP's ELL_STATUS: No).
    FEP = "FEP", "Fluent (English only, IFEP or RFEP, not specified)"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    NONBINARY = "X", "Nonbinary"


class Subject(models.TextChoices):
    ELA = "ela", "English language arts"
    MATH = "math", "Mathematics"
    SCIENCE = "science", "Science"
    READING = "reading", "Reading"
    OTHER = "other", "Other"


class AssessmentKind(models.TextChoices):
    STATE = "state", "State test"
    INTERIM = "interim", "Interim benchmark"
    LOCAL = "local", "Local measure"


class Window(models.TextChoices):
    FALL = "fall", "Fall"
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"
    ANNUAL = "annual", "Annual"
