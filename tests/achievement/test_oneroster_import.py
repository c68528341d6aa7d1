"""Rosters from a OneRoster 1.2 CSV bundle: schools, students, their school and grade for the
year, and their demographics."""

import zipfile
from pathlib import Path

from tandem.achievement.importers import oneroster
from tandem.achievement.models import Enrollment, Student, StudentYear
from tandem.orgs.models import School
from tests.world import World

FILES = {
    "manifest.csv": "propertyName,value\noneroster.version,1.2\n",
    "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n"
    "y2025,active,,2024-25,schoolYear,2024-08-01,2025-06-30,,2025\n",
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    "d1,active,,Northvale Unified,district,0110000,\n"
    "s1,active,,North Elementary,school,01100000000001,d1\n"
    "s2,active,,Brand New Academy,school,01100000000099,d1\n",
    "users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n"
    "u1,active,,true,ana,,Ana,Diaz,,1001,,,,,03,,,,,,,s1,\n"
    "u2,active,,true,ben,,Ben,Okafor,,1002,,,,,04,,,,,,,s2,\n"
    "t1,active,,true,tess,,Tess,Teacher,,T-1,,,,,,,,,,,,s1,\n",
    "roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n"
    "r1,active,,u1,primary,student,,,s1,\nr2,active,,u2,primary,student,,,s2,\nr3,active,,t1,primary,teacher,,,s1,\n",
    "classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
    "c1,active,,Grade 3 homeroom,03,,,homeroom,,s1,y2025,,,\nc2,active,,Grade 4 homeroom,04,,,homeroom,,s2,y2025,,,\n",
    "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
    "e1,active,,c1,s1,u1,student,true,,\ne2,active,,c2,s2,u2,student,true,,\ne3,active,,c1,s1,t1,teacher,true,,\n",
    "demographics.csv": "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus\n"
    "u1,active,,2016-03-04,female,false,false,false,false,false,false,true,,,,\n"
    "u2,active,,2015-01-09,male,false,false,true,false,true,false,false,,,,\n",
}


def _bundle(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "roster.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return path


def test_a_bundle_lands_students_enrollments_and_demographics(world: World, tmp_path: Path) -> None:
    report = oneroster.import_bundle(_bundle(tmp_path, FILES))
    assert report.ok, report.lines()
    assert report.counts["students"] == {"created": 2, "updated": 0, "unchanged": 0}
    ana = Student.objects.get(state_id="1001")
    assert (ana.first_name, ana.last_name, str(ana.birth_date)) == ("Ana", "Diaz", "2016-03-04")
    enrollment = Enrollment.objects.get(student=ana)
    assert (enrollment.school, enrollment.school_year, enrollment.grade) == (world.inside.school, 2025, "3")
    ben_year = StudentYear.objects.get(student__state_id="1002")
    assert (ben_year.gender, ben_year.race) == ("M", "two_or_more")
    assert not Student.objects.filter(state_id="T-1").exists()
    assert report.counts["schools"] == {"created": 1, "matched": 1}
    again = oneroster.import_bundle(_bundle(tmp_path, FILES))
    assert again.counts["students"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert again.counts["enrollments"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_broken_bundle_changes_nothing(world: World, tmp_path: Path) -> None:
    files = dict(FILES)
    files["enrollments.csv"] = files["enrollments.csv"].replace("e2,active,,c2,s2", "e2,active,,c9,s2")
    del files["academicSessions.csv"]
    report = oneroster.import_bundle(_bundle(tmp_path, files))
    assert report.lines() == ["error: roster.zip: the bundle has no such file (value 'academicSessions.csv')"]
    files["academicSessions.csv"] = FILES["academicSessions.csv"]
    report = oneroster.import_bundle(_bundle(tmp_path, files))
    assert report.lines() == [
        "error: roster.zip, row 3, column classSourcedId: enrollments.csv: no such class in classes.csv (value 'c9')"
    ]
    assert not Student.objects.exists()
    # The new school was created before the bad enrollment was found; it must be gone too.
    assert not School.objects.filter(cds_code="01100000000099").exists()


def test_not_a_zip(world: World, tmp_path: Path) -> None:
    path = tmp_path / "roster.zip"
    path.write_text("hello")
    assert oneroster.import_bundle(path).lines() == [
        "error: roster.zip: not a ZIP file or a folder of OneRoster CSV files"
    ]
