//! Who chooses whom: counts per question, mutual choices, and the subgroups they form.
//!
//! Pupils are indices into the group's pupil list. Everything here is deterministic:
//! lists are sorted, and ties in community detection go to the lowest index, so the same
//! answers always give the same subgroups (and the same sociogram).

use crate::distribution::ScoreMatrix;
use crate::survey::Question;

/// Nominations received and given per pupil, for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCounts {
    pub question: Question,
    pub received: Vec<u32>,
    /// `None` for pupils who did not take part (they gave nothing, but did not choose nobody).
    pub given: Vec<Option<u32>>,
}

/// The choice network of one group (built on the positive question).
#[derive(Debug, Clone, PartialEq)]
pub struct Ties {
    /// Per question asked: received and given counts.
    pub counts: Vec<QuestionCounts>,
    /// `chooses[i][j]`: `i` chose `j` on the positive question.
    pub chooses: Vec<Vec<bool>>,
    /// Mutual pairs `(a, b)` with `a < b`, sorted.
    pub mutual_pairs: Vec<(usize, usize)>,
    /// Number of mutual choices per pupil.
    pub mutual_degree: Vec<u32>,
    /// Pupils nobody chose on the positive question.
    pub not_chosen: Vec<usize>,
    /// Pupils without a single mutual choice (pupils who did not take part included: they
    /// cannot have one, so check `took_part` before reading anything into it).
    pub without_mutual_friend: Vec<usize>,
    /// Who took part.
    pub took_part: Vec<bool>,
    /// Edgewise reciprocity 2M / (2M + A) over choice pairs; `None` without any choice.
    pub reciprocity: Option<f64>,
    /// Choices made / choices possible (participants × (N − 1)); `None` without participants.
    pub density: Option<f64>,
    /// Connected components of the mutual-choice graph with two or more pupils.
    pub components: Vec<Vec<usize>>,
    /// Maximal cliques of three or more pupils in the mutual-choice graph.
    pub cliques: Vec<Vec<usize>>,
    /// Communities found by deterministic modularity optimisation (mutual choices weigh 2,
    /// one-way choices 1); only communities of two or more pupils.
    pub communities: Vec<Vec<usize>>,
}

/// Builds the ties of a group from its nomination matrices (`1` = named). The positive
/// question drives the network; every question gets its counts.
pub fn analyse_ties(took_part: &[bool], questions: &[(Question, &ScoreMatrix)]) -> Ties {
    let size = took_part.len();
    let counts = questions
        .iter()
        .map(|(question, matrix)| QuestionCounts {
            question: *question,
            received: (0..size)
                .map(|j| {
                    (0..size)
                        .filter(|&i| matrix.get(i, j).unwrap_or(0) > 0)
                        .count() as u32
                })
                .collect(),
            given: (0..size)
                .map(|i| {
                    took_part.get(i).copied().unwrap_or(false).then(|| {
                        (0..size)
                            .filter(|&j| matrix.get(i, j).unwrap_or(0) > 0)
                            .count() as u32
                    })
                })
                .collect(),
        })
        .collect();
    let positive = questions
        .iter()
        .find(|(q, _)| *q == Question::Positive)
        .map(|(_, m)| *m);
    let chooses: Vec<Vec<bool>> = (0..size)
        .map(|i| match positive {
            Some(m) => {
                // Exactly `size` entries, whatever the matrix: the loops below index by pupil.
                let row = m.row(i);
                (0..size)
                    .map(|j| row.get(j).copied().flatten().unwrap_or(0) > 0)
                    .collect()
            }
            None => vec![false; size],
        })
        .collect();
    // Out-lists: who each pupil chose. Indices come from the rows themselves, so direct
    // indexing below stays in bounds.
    let out: Vec<Vec<usize>> = chooses
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| **c)
                .map(|(j, _)| j)
                .collect()
        })
        .collect();
    let mut mutual_pairs = Vec::new();
    let mut made = 0usize;
    let mut chosen_by_anyone = vec![false; size];
    for (a, targets) in out.iter().enumerate() {
        made += targets.len();
        for &b in targets {
            chosen_by_anyone[b] = true;
            if b > a && chooses[b][a] {
                mutual_pairs.push((a, b));
            }
        }
    }
    let mutual = mutual_pairs.len();
    let asymmetric = made - 2 * mutual;
    let mut mutual_degree = vec![0u32; size];
    let mut adjacency = vec![vec![false; size]; size];
    for &(a, b) in &mutual_pairs {
        mutual_degree[a] += 1;
        mutual_degree[b] += 1;
        adjacency[a][b] = true;
        adjacency[b][a] = true;
    }
    let not_chosen = if positive.is_some() {
        (0..size).filter(|&j| !chosen_by_anyone[j]).collect()
    } else {
        Vec::new()
    };
    let without_mutual_friend = if positive.is_some() {
        (0..size).filter(|&i| mutual_degree[i] == 0).collect()
    } else {
        Vec::new()
    };
    let reciprocity =
        (mutual + asymmetric > 0).then(|| (2 * mutual) as f64 / (2 * mutual + asymmetric) as f64);
    let participants = took_part.iter().filter(|t| **t).count();
    let density = (participants > 0 && size > 1 && positive.is_some())
        .then(|| made as f64 / (participants * (size - 1)) as f64);

    let components = connected_components(&adjacency);
    let cliques = maximal_cliques(&adjacency, 3);
    // Undirected weights for community detection: 2 for a mutual choice, 1 for one-way.
    let mut weighted: Vec<Vec<(usize, f64)>> = vec![Vec::new(); size];
    for (a, targets) in out.iter().enumerate() {
        for &b in targets {
            if chooses[b][a] {
                if a < b {
                    weighted[a].push((b, 2.0));
                    weighted[b].push((a, 2.0));
                }
            } else {
                weighted[a].push((b, 1.0));
                weighted[b].push((a, 1.0));
            }
        }
    }
    for row in &mut weighted {
        row.sort_by_key(|(j, _)| *j);
    }
    let communities = communities(&weighted);
    Ties {
        counts,
        chooses,
        mutual_pairs,
        mutual_degree,
        not_chosen,
        without_mutual_friend,
        took_part: took_part.to_vec(),
        reciprocity,
        density,
        components,
        cliques,
        communities,
    }
}

/// Connected components with two or more members, each sorted, ordered by first member.
pub fn connected_components(adjacency: &[Vec<bool>]) -> Vec<Vec<usize>> {
    let size = adjacency.len();
    let mut seen = vec![false; size];
    let mut components = Vec::new();
    for start in 0..size {
        if seen.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut component = Vec::new();
        let mut stack = vec![start];
        if let Some(s) = seen.get_mut(start) {
            *s = true;
        }
        while let Some(node) = stack.pop() {
            component.push(node);
            for next in 0..size {
                let linked = adjacency
                    .get(node)
                    .and_then(|r| r.get(next))
                    .copied()
                    .unwrap_or(false);
                if linked && !seen.get(next).copied().unwrap_or(true) {
                    if let Some(s) = seen.get_mut(next) {
                        *s = true;
                    }
                    stack.push(next);
                }
            }
        }
        if component.len() >= 2 {
            component.sort_unstable();
            components.push(component);
        }
    }
    components
}

/// Maximal cliques of at least `min_size` members (Bron–Kerbosch with Tomita pivoting on
/// bitsets), each sorted, the list sorted. Groups of more than 128 pupils get none.
pub fn maximal_cliques(adjacency: &[Vec<bool>], min_size: usize) -> Vec<Vec<usize>> {
    let size = adjacency.len();
    if size > 128 {
        return Vec::new();
    }
    let neighbours: Vec<u128> = (0..size)
        .map(|i| {
            (0..size)
                .filter(|&j| {
                    j != i
                        && adjacency
                            .get(i)
                            .and_then(|r| r.get(j))
                            .copied()
                            .unwrap_or(false)
                })
                .fold(0u128, |set, j| set | (1u128 << j))
        })
        .collect();
    let all = if size == 128 {
        u128::MAX
    } else {
        (1u128 << size) - 1
    };
    let mut cliques = Vec::new();
    bron_kerbosch(0, all, 0, &neighbours, min_size, &mut cliques);
    for clique in &mut cliques {
        clique.sort_unstable();
    }
    cliques.sort();
    cliques
}

fn members(mut set: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if set == 0 {
            return None;
        }
        let lowest = set.trailing_zeros() as usize;
        set &= set - 1;
        Some(lowest)
    })
}

fn bron_kerbosch(
    clique: u128,
    mut candidates: u128,
    mut excluded: u128,
    neighbours: &[u128],
    min_size: usize,
    out: &mut Vec<Vec<usize>>,
) {
    if candidates == 0 && excluded == 0 {
        if clique.count_ones() as usize >= min_size {
            out.push(members(clique).collect());
        }
        return;
    }
    // Pivot: the vertex with most neighbours among the candidates (lowest index on ties).
    let pivot_neighbours = members(candidates | excluded)
        .map(|u| neighbours.get(u).copied().unwrap_or(0))
        .max_by_key(|n| (n & candidates).count_ones())
        .unwrap_or(0);
    for v in members(candidates & !pivot_neighbours).collect::<Vec<_>>() {
        let bit = 1u128 << v;
        let nv = neighbours.get(v).copied().unwrap_or(0);
        bron_kerbosch(
            clique | bit,
            candidates & nv,
            excluded & nv,
            neighbours,
            min_size,
            out,
        );
        candidates &= !bit;
        excluded |= bit;
    }
}

/// Deterministic Louvain-style modularity optimisation (local moving in index order,
/// then aggregation, until nothing improves). Returns communities of two or more members.
pub fn communities(neighbours: &[Vec<(usize, f64)>]) -> Vec<Vec<usize>> {
    let size = neighbours.len();
    // membership[node] = community of each original node.
    let mut membership: Vec<usize> = (0..size).collect();
    // Weighted adjacency lists (self-loops appear after aggregation).
    let mut graph: Vec<Vec<(usize, f64)>> = neighbours.to_vec();
    for _level in 0..16 {
        let n = graph.len();
        let total: f64 = graph.iter().flatten().map(|(_, w)| w).sum();
        if total <= 0.0 || n == 0 {
            break;
        }
        let degree: Vec<f64> = graph
            .iter()
            .map(|row| row.iter().map(|(_, w)| w).sum())
            .collect();
        let mut community: Vec<usize> = (0..n).collect();
        let mut community_degree = degree.clone();
        let mut links = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::with_capacity(n);
        let mut moved_any = false;
        for _pass in 0..64 {
            let mut moved = false;
            for node in 0..n {
                let own = community.get(node).copied().unwrap_or(node);
                let k = degree.get(node).copied().unwrap_or(0.0);
                touched.clear();
                for &(other, w) in graph.get(node).map_or(&[][..], Vec::as_slice) {
                    if other == node {
                        continue;
                    }
                    let c = community.get(other).copied().unwrap_or(other);
                    if let Some(l) = links.get_mut(c) {
                        if *l == 0.0 {
                            touched.push(c);
                        }
                        *l += w;
                    }
                }
                if let Some(d) = community_degree.get_mut(own) {
                    *d -= k;
                }
                let gain = |c: usize| {
                    links.get(c).copied().unwrap_or(0.0)
                        - community_degree.get(c).copied().unwrap_or(0.0) * k / total
                };
                let mut best = own;
                let mut best_gain = gain(own);
                touched.sort_unstable();
                for &c in &touched {
                    let g = gain(c);
                    if g > best_gain + 1e-12 {
                        best = c;
                        best_gain = g;
                    }
                }
                for &c in &touched {
                    if let Some(l) = links.get_mut(c) {
                        *l = 0.0;
                    }
                }
                if let Some(d) = community_degree.get_mut(best) {
                    *d += k;
                }
                if best != own {
                    if let Some(slot) = community.get_mut(node) {
                        *slot = best;
                    }
                    moved = true;
                    moved_any = true;
                }
            }
            if !moved {
                break;
            }
        }
        if !moved_any {
            break;
        }
        // Renumber communities by first node and aggregate.
        let mut renumber = vec![usize::MAX; n];
        let mut next = 0;
        for node in 0..n {
            let c = community.get(node).copied().unwrap_or(node);
            if renumber.get(c) == Some(&usize::MAX) {
                if let Some(slot) = renumber.get_mut(c) {
                    *slot = next;
                }
                next += 1;
            }
        }
        let new_of = |node: usize| {
            community
                .get(node)
                .and_then(|c| renumber.get(*c))
                .copied()
                .unwrap_or(0)
        };
        for m in membership.iter_mut() {
            *m = new_of(*m);
        }
        let mut aggregated = vec![vec![0.0; next]; next];
        for (a, row) in graph.iter().enumerate() {
            for &(b, w) in row {
                if let Some(cell) = aggregated
                    .get_mut(new_of(a))
                    .and_then(|r| r.get_mut(new_of(b)))
                {
                    *cell += w;
                }
            }
        }
        graph = aggregated
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(_, w)| **w > 0.0)
                    .map(|(j, w)| (j, *w))
                    .collect()
            })
            .collect();
    }
    let count = membership.iter().copied().max().map_or(0, |m| m + 1);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &c) in membership.iter().enumerate() {
        if let Some(group) = groups.get_mut(c) {
            group.push(node);
        }
    }
    let mut groups: Vec<Vec<usize>> = groups.into_iter().filter(|g| g.len() >= 2).collect();
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(size: usize, edges: &[(usize, usize)]) -> Vec<Vec<bool>> {
        let mut adjacency = vec![vec![false; size]; size];
        for &(a, b) in edges {
            adjacency[a][b] = true;
            adjacency[b][a] = true;
        }
        adjacency
    }

    #[test]
    fn maximal_cliques_of_three_or_more_are_found_once_each() {
        // A 4-clique {0,1,2,3}, a triangle {3,4,5} sharing pupil 3, a pair {6,7}, pupil 8 alone.
        let adjacency = graph(
            9,
            &[
                (0, 1),
                (0, 2),
                (0, 3),
                (1, 2),
                (1, 3),
                (2, 3),
                (3, 4),
                (3, 5),
                (4, 5),
                (6, 7),
            ],
        );
        assert_eq!(
            maximal_cliques(&adjacency, 3),
            vec![vec![0, 1, 2, 3], vec![3, 4, 5]]
        );
        assert_eq!(
            connected_components(&adjacency),
            vec![vec![0, 1, 2, 3, 4, 5], vec![6, 7]]
        );
    }

    #[test]
    fn two_dense_groups_joined_by_one_tie_become_two_communities() {
        let mut weights: Vec<Vec<(usize, f64)>> = vec![Vec::new(); 8];
        let mut link = |a: usize, b: usize| {
            weights[a].push((b, 2.0));
            weights[b].push((a, 2.0));
        };
        for a in 0..4 {
            for b in (a + 1)..4 {
                link(a, b);
                link(a + 4, b + 4);
            }
        }
        link(3, 4);
        assert_eq!(
            communities(&weights),
            vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]
        );
    }
}
