"""Bad input for the Kraken 2, Bracken and CAMI readers: each gets one error naming the file,
the line and what was expected. The inputs are tiny hand-made files (one broken thing each)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from gutlens.errors import ProfileFormatError
from gutlens.io import read_profile, read_profiles, sniff

# A valid 200-read report: 1 unclassified, 199 under the root.
KREPORT = (
    "  0.50\t1\t1\tU\t0\tunclassified\n"
    " 99.50\t199\t0\tR\t1\troot\n"
    " 99.50\t199\t9\tD\t2\t  Bacteria\n"
    " 95.00\t190\t0\tG\t816\t    Bacteroides\n"
    " 95.00\t190\t190\tS\t821\t      Bacteroides vulgatus\n"
)


def _write(tmp_path: Path, text: str, name: str = "bad.kreport") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_tiny_report_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path, KREPORT)
    assert sniff(path).name == "kraken2"
    profile = read_profile(path)
    assert profile.unclassified_fraction == pytest.approx(1 / 200)
    assert profile.at_rank("species")["Phocaeicola vulgatus"] == pytest.approx(190 / 199)


def test_gzipped_report(tmp_path: Path) -> None:
    path = tmp_path / "sample.kreport.gz"
    path.write_bytes(gzip.compress(KREPORT.encode()))
    assert sniff(path).name == "kraken2"
    assert read_profile(path).sample_id == "sample"


KREPORT_CASES = [
    pytest.param(
        KREPORT[:-8], r"line 5: the last line does not end with a newline", id="cut-in-name"
    ),
    pytest.param(
        KREPORT[: KREPORT.index("190\t190")] + "19\n",
        r"line 5: expected 6 tab-separated columns .* found 2",
        id="cut-in-numbers",
    ),
    pytest.param(
        "".join(KREPORT.splitlines(keepends=True)[:4]),
        r"line 4: clade reads of 'Bacteroides' \(taxid 816\) are 190, but its direct reads \(0\)"
        r" plus its children's clade reads \(0\) make 0",
        id="cut-at-line-end",
    ),
    pytest.param(KREPORT.replace("\t", ","), r"line 1: .*separated by commas", id="commas"),
    pytest.param(
        KREPORT.replace("\t", " "), r"line 1: .*seem to be separated by spaces", id="spaces"
    ),
    pytest.param(
        KREPORT.replace("199\t9\tD", "abc\t9\tD"),
        r"line 3: expected a number for the clade read count \(column 2\), found 'abc'",
        id="non-numeric",
    ),
    pytest.param(
        KREPORT.replace("199\t9\tD", "-199\t9\tD"),
        r"line 3: clade read count \(column 2\) must not be negative, found -199",
        id="negative",
    ),
    pytest.param(
        KREPORT.replace("199\t9\tD", "199.5\t9\tD"),
        r"line 3: expected a whole number for the clade read count",
        id="fractional",
    ),
    pytest.param(
        KREPORT.replace("\t821\t", "\t816\t"),
        r"line 5: taxid 816 appears twice \(first on line 4\)",
        id="duplicate-taxid",
    ),
    pytest.param(
        KREPORT.replace(" 95.00\t190\t0", " 50.00\t190\t0"),
        r"line 4: percentage 50.00 \(column 1\) does not match the reads: 190 of 200 reads is"
        r" 95.00 %",
        id="percent-vs-counts",
    ),
    pytest.param(
        KREPORT.replace("\t      Bacteroides vulgatus", "\t          Bacteroides vulgatus"),
        r"line 5: indentation jumps from level 2 to level 5",
        id="indent-jump",
    ),
    pytest.param(
        KREPORT.replace("\t    Bacteroides\n", "\t     Bacteroides\n"),
        r"line 4: name indented by 5 spaces; Kraken indents by 2 spaces per level",
        id="odd-indent",
    ),
    pytest.param(
        KREPORT.replace("\tG\t816", "\tX\t816"), r"line 4: unknown rank code 'X'", id="rank"
    ),
    pytest.param(
        KREPORT.replace("\t816\t", "\tabc\t"),
        r"line 4: expected a numeric NCBI taxid, found 'abc'",
        id="taxid",
    ),
    pytest.param(
        KREPORT.replace("199\t9\tD", "199\t299\tD"),
        r"line 3: direct reads \(299\) exceed the clade reads \(199\)",
        id="direct-over-clade",
    ),
    pytest.param(
        KREPORT + "  0.50\t1\t1\tU\t0\tunclassified\n",
        r"line 6: a second unclassified \(U\) row \(first on line 1\)",
        id="two-U",
    ),
    pytest.param(
        KREPORT.replace("\t    Bacteroides\n", "\t    Bacteroides\t12\t7\n"),
        r"line 4: found 8 tab-separated columns but the rows above have 6",
        id="mixed-widths",
    ),
    pytest.param(
        # a genus under a species
        KREPORT.replace("\tS\t821\t", "\tG\t821\t").replace("\tG\t816\t", "\tS\t816\t"),
        r"line 5: cannot place 'Bacteroides vulgatus' \(rank code G\) under its parents",
        id="rank-order",
    ),
    pytest.param("", r"file is empty; expected a Kraken-style report", id="empty"),
    pytest.param("\n\n", r"file is empty", id="blank-lines"),
    pytest.param(
        "# KrakenUniq report\n" + KREPORT, r"line 1: comment line in a Kraken report", id="#"
    ),
]


@pytest.mark.parametrize("format_name", ["kraken2", "bracken"])
@pytest.mark.parametrize(("text", "message"), KREPORT_CASES)
def test_bad_kraken_reports(tmp_path: Path, format_name: str, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path, format=format_name)
    assert str(info.value).startswith(str(path))


def test_bracken_slack_is_not_given_to_kraken_reports(tmp_path: Path) -> None:
    # one read missing under Bacteria: Bracken's truncation could explain it, but this report
    # has a U row and direct reads on inner taxa, so it is Kraken's and must add up exactly
    path = _write(tmp_path, KREPORT.replace("199\t9\tD", "199\t8\tD"))
    with pytest.raises(ProfileFormatError, match=r"line 3: clade reads of 'Bacteria'"):
        read_profiles(path, format="bracken")


# A valid Bracken report (no U row, direct reads on leaves only) and species table.
BRACKEN_REPORT = (
    "100.00\t100\t0\tR\t1\troot\n"
    "100.00\t100\t0\tD\t2\t  Bacteria\n"
    "60.00\t60\t60\tS\t821\t    Bacteroides vulgatus\n"
    "40.00\t40\t40\tS\t853\t    Faecalibacterium prausnitzii\n"
)
TABLE_HEADER = (
    "name\ttaxonomy_id\ttaxonomy_lvl\tkraken_assigned_reads\tadded_reads\tnew_est_reads"
    "\tfraction_total_reads\n"
)
TABLE = (
    TABLE_HEADER
    + "Bacteroides vulgatus\t821\tS\t50\t10\t60\t0.60000\n"
    + "Faecalibacterium prausnitzii\t853\tS\t30\t10\t40\t0.40000\n"
)


def test_tiny_bracken_files_are_valid(tmp_path: Path) -> None:
    report = _write(tmp_path, BRACKEN_REPORT, "x.kreport")
    table = _write(tmp_path, TABLE, "x.bracken")
    assert sniff(report).name == "bracken"
    assert sniff(table).name == "bracken"
    assert read_profile(table).at_rank("species")["Faecalibacterium prausnitzii"] == 0.4
    assert read_profile(report).at_rank("species")["Faecalibacterium prausnitzii"] == 0.4


TABLE_CASES = [
    pytest.param(
        TABLE.replace("\t", ","), r"line 1: expected the Bracken table header", id="commas"
    ),
    pytest.param(
        TABLE.replace("\t50\t", "\tfifty\t"),
        r"line 2: expected a number for the kraken_assigned_reads, found 'fifty'",
        id="non-numeric",
    ),
    pytest.param(
        TABLE.replace("\t10\t60\t", "\t-10\t60\t"),
        r"line 2: added_reads must not be negative",
        id="negative",
    ),
    pytest.param(
        TABLE.replace("\t853\t", "\t821\t"),
        r"line 3: taxid 821 appears twice \(first on line 2\)",
        id="duplicate-taxid",
    ),
    pytest.param(
        TABLE.replace("\t50\t10\t60\t", "\t50\t20\t60\t"),
        r"line 2: new_est_reads \(60\) is not kraken_assigned_reads \(50\) plus added_reads \(20\)",
        id="sum",
    ),
    pytest.param(
        TABLE.replace("0.60000", "0.70000"),
        r"line 2: fraction_total_reads 0.7 does not match the counts: 60 of 100",
        id="fraction",
    ),
    pytest.param(
        TABLE.replace("\t853\tS\t", "\t853\tG\t"), r"rows at several levels \(G, S\)", id="levels"
    ),
    pytest.param(
        TABLE.replace("\t853\tS\t", "\t853\tK\t"),
        r"line 3: taxonomy_lvl 'K' is not a level gutlens keeps",
        id="level",
    ),
    pytest.param(TABLE[:-20] + "\n", r"line 3: expected 7 tab-separated columns", id="short-row"),
    pytest.param(TABLE_HEADER, r"the Bracken table has a header but no rows", id="no-rows"),
    pytest.param(TABLE[:-3], r"line 3: the last line does not end with a newline", id="cut"),
]


@pytest.mark.parametrize(("text", "message"), TABLE_CASES)
def test_bad_bracken_tables(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text, "bad.bracken")
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path, format="bracken")
    assert str(info.value).startswith(str(path))


def test_kraken_format_refuses_a_bracken_table(tmp_path: Path) -> None:
    path = _write(tmp_path, TABLE, "x.bracken")
    with pytest.raises(ProfileFormatError, match=r"line 1: expected 6 tab-separated columns"):
        read_profiles(path, format="kraken2")


CAMI = (
    "@SampleID:S1\n"
    "@Version:0.9.3\n"
    "@Ranks:superkingdom|phylum|class|order|family|genus|species|strain\n"
    "@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE\n"
    "2\tsuperkingdom\t2\tBacteria\t100\n"
    "1239\tphylum\t2|1239\tBacteria|Firmicutes\t70\n"
    "976\tphylum\t2|976\tBacteria|Bacteroidetes\t30\n"
)


def test_the_tiny_cami_profile_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path, CAMI, "x.profile")
    assert sniff(path).name == "cami"
    assert read_profile(path).at_rank("phylum")["Bacillota"] == pytest.approx(0.7)


def test_cami_header_lines_before_sampleid(tmp_path: Path) -> None:
    # some writers put @Version before @SampleID (CAMI II submissions); it belongs to that sample
    text = "@Version:0.9.0\n" + CAMI.replace("@Version:0.9.3\n", "")
    profile = read_profile(_write(tmp_path, text, "x.profile"))
    assert profile.metadata["cami_version"] == "0.9.0"


CAMI_CASES = [
    pytest.param(
        CAMI.replace("@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE\n", ""),
        r"line 4: data row before the @@TAXID",
        id="missing-@@",
    ),
    pytest.param(
        CAMI.replace("1239\tphylum\t", "1239\tsubphylum\t"),
        r"line 6: rank 'subphylum' is not one of the @Ranks",
        id="unknown-rank",
    ),
    pytest.param(
        CAMI.replace("|species|strain", "|species|serovar"),
        r"line 3: @Ranks names rank\(s\) gutlens does not know: serovar",
        id="unknown-rank-in-@Ranks",
    ),
    pytest.param(
        CAMI.replace("@@TAXID\tRANK\tTAXPATH\tTAXPATHSN\tPERCENTAGE", "@@TAXID\tRANK\tTAXPATH"),
        r"line 4: the @@ header lacks TAXPATHSN, PERCENTAGE",
        id="short-@@",
    ),
    pytest.param(
        CAMI.replace("\t", "    "),
        r"line 4: the @@ header lacks TAXID, RANK, .*\(the header is not tab-separated\)",
        id="spaces",
    ),
    pytest.param(
        CAMI.replace(
            "976\tphylum\t2|976\tBacteria|Bacteroidetes\t30", "976 phylum 2|976 Bacteria 30"
        ),
        r"line 7: expected 5 tab-separated columns, found 1 \(the columns seem to be separated by"
        r" spaces\)",
        id="row-spaces",
    ),
    pytest.param(
        CAMI.replace("976\tphylum\t2|976\tBacteria|Bacteroidetes\t30", "976,phylum,2|976,B,30"),
        r"line 7: expected 5 tab-separated columns, found 1",
        id="row-commas",
    ),
    pytest.param(
        CAMI.replace("Firmicutes\t70", "Firmicutes\tseventy"),
        r"line 6: expected a number for the percentage, found 'seventy'",
        id="non-numeric",
    ),
    pytest.param(
        CAMI.replace("Firmicutes\t70", "Firmicutes\t-70"),
        r"line 6: percentage must not be negative",
        id="negative",
    ),
    pytest.param(
        CAMI.replace("976\tphylum\t2|976", "1239\tphylum\t2|976"),
        r"line 7: TAXID 1239 appears twice in sample \(first on line 6\)",
        id="duplicate-taxid",
    ),
    pytest.param(
        CAMI.replace("Bacteroidetes\t30", "Bacteroidetes\t60"),
        r"line 1: sample 'S1': percentages at rank phylum add up to 130.00, more than 100",
        id="over-100",
    ),
    pytest.param(
        CAMI.replace("2|1239\tBacteria|Firmicutes", "1239\tFirmicutes"),
        r"line 6: TAXPATH has 1 and TAXPATHSN 1 levels; a phylum row lists 2",
        id="short-path",
    ),
    pytest.param(CAMI[:-3], r"line 7: the last line does not end with a newline", id="cut"),
    pytest.param(
        CAMI.split("\n", 1)[1],
        r"line 3: the @@TAXID column header before any @SampleID line",
        id="no-id",
    ),
    pytest.param(
        CAMI + CAMI.replace("Bacteria\t100", "Bacteria\t99"),
        r"line 8: @SampleID 'S1' is used twice \(first on line 1\)",
        id="same-id",
    ),
    pytest.param("", r"file is empty; expected a CAMI profile", id="empty"),
]


@pytest.mark.parametrize(("text", "message"), CAMI_CASES)
def test_bad_cami_profiles(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text, "bad.profile")
    with pytest.raises(ProfileFormatError, match=message) as info:
        read_profiles(path, format="cami")
    assert str(info.value).startswith(str(path))
