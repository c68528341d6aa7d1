"""Secret ballots. Who voted and what was voted are kept where nothing links them:

- `Voter` says that a person voted (so each votes once); `Ballot` holds a ranking with no voter,
  no time, and a random id.
- Each vote stores the election's ballots again in a fresh random order, in the same transaction
  as the vote. Rows then say nothing by their place on disk either, and on PostgreSQL every
  ballot carries the same creating transaction, so that cannot point to one voter.
- The voter gets a receipt (shown once); the ballot keeps only its SHA-256, so the voter — and
  only someone holding the receipt — can check that the ballot was counted as cast.
- Audit entries and the election's log say that someone voted and how many have, never a ranking.
"""

import hashlib
import secrets

from tandem.governance.models import Ballot, Election

RECEIPT_BYTES = 12


def new_receipt() -> str:
    raw = secrets.token_hex(RECEIPT_BYTES).upper()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def receipt_hash(election: Election, receipt: str) -> str:
    # Read as typed: any case, with or without the spaces and dashes that group its characters.
    cleaned = receipt.strip().upper().replace(" ", "").replace("-", "")
    return hashlib.sha256(f"{election.pk}:{cleaned}".encode()).hexdigest()


def _random_id(taken: set[int]) -> int:
    while True:
        candidate = secrets.randbits(62) + 1
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def store(election: Election, ranking: list[int], receipt: str) -> None:
    """Add a ballot and store all of the election's ballots again, shuffled, with new ids. The
    caller holds the election's row lock (one vote at a time per election)."""
    rows = [(b.ranking, b.receipt_hash) for b in Ballot.objects.filter(election=election)]
    rows.append((ranking, receipt_hash(election, receipt)))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(election=election).delete()
    taken: set[int] = set()
    Ballot.objects.bulk_create(
        [Ballot(id=_random_id(taken), election=election, ranking=r, receipt_hash=h) for r, h in rows]
    )


def find(election: Election, receipt: str) -> Ballot | None:
    if len(receipt) > 100:
        return None
    return Ballot.objects.filter(election=election, receipt_hash=receipt_hash(election, receipt)).first()
