//! A survey spike cut short by `kill -9`, ten times on SQLite and ten times on PostgreSQL:
//! pupils of two classes answer (and some change their answer) from several threads; the
//! server is killed in the middle, restarted, and every answer that got a 201 or 200 is
//! stored exactly as acknowledged, an answer whose reply never came is stored as sent or not
//! at all, and nothing else is stored. Prints acknowledged vs stored per run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common_http;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common_http::{Backend, Server, api, class_with_pupils, request, user_with_token};

const CLASSES: usize = 2;
const PUPILS: usize = 30;
const THREADS: usize = 6;
const RUNS: usize = 10;
const SCALE: i64 = 7;

/// The ratings a pupil sends in their `version`-th answer: every version differs.
fn ratings(me: usize, version: usize, class: &[i64]) -> BTreeMap<i64, i64> {
    class
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != me)
        .map(|(j, id)| (*id, ((j + me + 3 * version) as i64 % SCALE) + 1))
        .collect()
}

/// What happened to one pupil's answers in a run.
#[derive(Debug, Default, Clone)]
struct Outcome {
    /// The last version answered 201/200.
    acknowledged: Option<usize>,
    /// A version sent whose reply never came (the server died).
    in_flight: Option<usize>,
}

struct Round {
    id: i64,
    class: Vec<i64>,
    codes: HashMap<i64, String>,
}

fn start_round(address: &str, coordinator: &str, class_id: i64, class: &[i64]) -> Round {
    let reply = api(
        address,
        "POST",
        &format!("/api/v1/classes/{class_id}/surveys"),
        coordinator,
        &format!(r#"{{"kind":"ratings","scale":{SCALE}}}"#),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let doc = reply.json();
    Round {
        id: doc["id"].as_i64().unwrap(),
        class: class.to_vec(),
        codes: doc["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["pupil_id"].as_i64().unwrap(),
                    c["code"].as_str().unwrap().to_string(),
                )
            })
            .collect(),
    }
}

/// One run: answers from `THREADS` threads until `kill_after` acknowledgements, then
/// `kill -9`. Returns every pupil's outcome per round.
fn spike(
    server: &mut Server,
    rounds: &[Arc<Round>],
    kill_after: usize,
) -> Vec<HashMap<i64, Outcome>> {
    // Work per thread: (round index, pupil index, version); every third pupil answers
    // twice. A pupil's answers all go through one thread, one after the other, as one
    // phone sends them.
    let mut work: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); THREADS];
    for version in 0..2 {
        for (r, round) in rounds.iter().enumerate() {
            for me in 0..round.class.len() {
                if version == 0 || me % 3 == 0 {
                    work[(r * PUPILS + me) % THREADS].push((r, me, version));
                }
            }
        }
    }
    let outcomes: Arc<Mutex<Vec<HashMap<i64, Outcome>>>> =
        Arc::new(Mutex::new(vec![HashMap::new(); rounds.len()]));
    let acked = Arc::new(AtomicUsize::new(0));
    let dead = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for mine in work {
        let (outcomes, acked, dead) =
            (Arc::clone(&outcomes), Arc::clone(&acked), Arc::clone(&dead));
        let rounds: Vec<Arc<Round>> = rounds.to_vec();
        let address = server.address.clone();
        threads.push(std::thread::spawn(move || {
            for (r, me, version) in mine {
                if dead.load(Ordering::SeqCst) {
                    return;
                }
                let round = &rounds[r];
                let pupil = round.class[me];
                let body = serde_json::json!({
                    "code": round.codes[&pupil],
                    "ratings": ratings(me, version, &round.class)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<BTreeMap<_, _>>(),
                })
                .to_string();
                outcomes.lock().unwrap()[r]
                    .entry(pupil)
                    .or_default()
                    .in_flight = Some(version);
                let reply = request(
                    &address,
                    "POST",
                    "/api/v1/answers",
                    &[("Content-Type", "application/json")],
                    &body,
                );
                match reply {
                    Some(reply) if reply.status == 201 || reply.status == 200 => {
                        let expected = if version == 0 { 201 } else { 200 };
                        assert_eq!(reply.status, expected, "{}", reply.body);
                        let mut all = outcomes.lock().unwrap();
                        let o = all[r].entry(pupil).or_default();
                        o.acknowledged = Some(version);
                        o.in_flight = None;
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    Some(reply) => panic!("answer refused: {} {}", reply.status, reply.body),
                    // No reply: the server died with this answer in flight.
                    None => {
                        assert!(dead.load(Ordering::SeqCst), "no reply from a live server");
                        return;
                    }
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.load(Ordering::SeqCst) < kill_after && Instant::now() < deadline {
        std::thread::sleep(Duration::from_micros(200));
    }
    dead.store(true, Ordering::SeqCst);
    server.kill_hard();
    for t in threads {
        t.join().unwrap();
    }
    let all = outcomes.lock().unwrap();
    all.clone()
}

/// What is stored per pupil of a round (from the CSV export) and who took part.
fn stored(address: &str, care: &str, round: i64) -> (BTreeMap<i64, BTreeMap<i64, i64>>, usize) {
    let csv = api(
        address,
        "GET",
        &format!("/api/v1/surveys/{round}/answers.csv"),
        care,
        "",
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    let mut out: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
    for line in csv.body.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        out.entry(f[1].parse().unwrap())
            .or_default()
            .insert(f[2].parse().unwrap(), f[3].parse().unwrap());
    }
    let results = api(
        address,
        "GET",
        &format!("/api/v1/surveys/{round}/results"),
        care,
        "",
    );
    assert_eq!(results.status, 200, "{}", results.body);
    let took_part = results.json()["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["took_part"] == true)
        .count();
    (out, took_part)
}

fn kill_in_the_middle_of_spikes(backend: Backend) {
    let started = Instant::now();
    let db = backend.args();
    let admin = user_with_token(&db, "beheer@spike.example", "administrator");
    let coordinator = user_with_token(&db, "apc@spike.example", "coordinator");
    let care = user_with_token(&db, "zorg@spike.example", "care_coordinator");
    let mut server = Server::start(&db);
    let classes: Vec<(i64, Vec<i64>)> = (0..CLASSES)
        .map(|c| class_with_pupils(&server.address, &admin, &format!("S{c}"), PUPILS))
        .collect();
    let mut total_acked = 0;
    let mut total_stored = 0;
    for run in 0..RUNS {
        let rounds: Vec<Arc<Round>> = classes
            .iter()
            .map(|(id, pupils)| Arc::new(start_round(&server.address, &coordinator, *id, pupils)))
            .collect();
        // Kill somewhere between the first answers and nearly all of them.
        let kill_after = 3 + (run * 7) % 70;
        let outcomes = spike(&mut server, &rounds, kill_after);
        server = Server::start(&db);
        let mut acked = 0;
        let mut kept = 0;
        let mut in_flight = 0;
        for (r, round) in rounds.iter().enumerate() {
            let (stored, took_part) = stored(&server.address, &care, round.id);
            assert_eq!(took_part, stored.len(), "took_part follows the stored rows");
            for (me, pupil) in round.class.iter().enumerate() {
                let outcome = outcomes[r].get(pupil).cloned().unwrap_or_default();
                let got = stored.get(pupil);
                let version_of = |v: usize| ratings(me, v, &round.class);
                let ok_acked = match (outcome.acknowledged, got) {
                    (None, None) => true,
                    (Some(v), Some(got)) => *got == version_of(v),
                    _ => false,
                };
                let ok_in_flight = match (outcome.in_flight, got) {
                    (Some(v), Some(got)) => *got == version_of(v),
                    _ => false,
                };
                assert!(
                    ok_acked || ok_in_flight,
                    "{} run {run}: pupil {pupil} acknowledged {:?}, in flight {:?}, stored {:?}",
                    backend.name(),
                    outcome.acknowledged,
                    outcome.in_flight,
                    got
                );
                acked += usize::from(outcome.acknowledged.is_some());
                in_flight += usize::from(outcome.in_flight.is_some());
                kept += usize::from(got.is_some());
            }
        }
        println!(
            "{} run {run}: killed after {kill_after} acknowledgements; pupils acknowledged {acked}, in flight {in_flight}, stored {kept}",
            backend.name()
        );
        assert!(kept >= acked && kept <= acked + in_flight);
        total_acked += acked;
        total_stored += kept;
    }
    println!(
        "{}: {RUNS} runs, {total_acked} pupils' answers acknowledged, {total_stored} stored, in {:.1} s",
        backend.name(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn kill_9_in_a_spike_keeps_every_acknowledged_answer_and_nothing_else_sqlite() {
    kill_in_the_middle_of_spikes(Backend::sqlite("spike"));
}

#[test]
fn kill_9_in_a_spike_keeps_every_acknowledged_answer_and_nothing_else_postgres() {
    let Some(backend) = Backend::postgres("spike") else {
        return;
    };
    kill_in_the_middle_of_spikes(backend);
}
