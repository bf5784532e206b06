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
    /// Who chose whom on the positive question, row by row (`size × size`); read it with
    /// [`Ties::chooses`].
    choices: Vec<bool>,
    size: usize,
    /// Mutual pairs `(a, b)` with `a < b`, sorted.
    pub mutual_pairs: Vec<(usize, usize)>,
    /// Number of mutual choices per pupil.
    pub mutual_degree: Vec<u32>,
    /// Pupils nobody chose on the positive question.
    pub not_chosen: Vec<usize>,
    /// Pupils without a single mutual choice (pupils who did not take part included: they
    /// cannot have one, so check `took_part` before reading anything into it).
    pub without_mutual_friend: Vec<usize>,
    /// Who named whom on the `left_out` question, `(named by, named)`, sorted; empty when
    /// it was not asked. Drawn in the sociogram only on request.
    pub left_out_named: Vec<(usize, usize)>,
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
            received: {
                let mut received = vec![0u32; size];
                for i in 0..size {
                    for (slot, cell) in received.iter_mut().zip(matrix.row(i)) {
                        *slot += u32::from(cell.unwrap_or(0) > 0);
                    }
                }
                received
            },
            given: (0..size)
                .map(|i| {
                    took_part.get(i).copied().unwrap_or(false).then(|| {
                        matrix
                            .row(i)
                            .iter()
                            .take(size)
                            .filter(|cell| cell.unwrap_or(0) > 0)
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
    // One flat row-major matrix: a class is analysed thousands of times in a batch, and a
    // vector per row would cost more in allocation than the work itself.
    let mut choices = vec![false; size * size];
    if let Some(m) = positive {
        for (i, row) in choices.chunks_mut(size.max(1)).enumerate() {
            for (slot, cell) in row.iter_mut().zip(m.row(i)) {
                *slot = cell.unwrap_or(0) > 0;
            }
            // A pupil never chooses themselves, whatever the matrix says.
            if let Some(own) = row.get_mut(i) {
                *own = false;
            }
        }
    }
    let choice = |i: usize, j: usize| choices.get(i * size + j).copied().unwrap_or(false);
    let mut mutual_pairs = Vec::new();
    let mut made = 0usize;
    let mut chosen_by_anyone = vec![false; size];
    let mut mutual_degree = vec![0u32; size];
    for a in 0..size {
        for b in 0..size {
            if !choice(a, b) {
                continue;
            }
            made += 1;
            if let Some(flag) = chosen_by_anyone.get_mut(b) {
                *flag = true;
            }
            if b > a && choice(b, a) {
                mutual_pairs.push((a, b));
                for pupil in [a, b] {
                    if let Some(d) = mutual_degree.get_mut(pupil) {
                        *d += 1;
                    }
                }
            }
        }
    }
    let mutual = mutual_pairs.len();
    let asymmetric = made - 2 * mutual;
    let not_chosen = if positive.is_some() {
        (0..size)
            .filter(|&j| chosen_by_anyone.get(j) == Some(&false))
            .collect()
    } else {
        Vec::new()
    };
    let without_mutual_friend = if positive.is_some() {
        (0..size)
            .filter(|&i| mutual_degree.get(i) == Some(&0))
            .collect()
    } else {
        Vec::new()
    };
    let reciprocity =
        (mutual + asymmetric > 0).then(|| (2 * mutual) as f64 / (2 * mutual + asymmetric) as f64);
    let participants = took_part.iter().filter(|t| **t).count();
    let density = (participants > 0 && size > 1 && positive.is_some())
        .then(|| made as f64 / (participants * (size - 1)) as f64);

    let components = connected_components(size, &mutual_pairs);
    let cliques = maximal_cliques(size, &mutual_pairs, 3);
    // Undirected weights for community detection: 2 for a mutual choice, 1 for one-way.
    let mut weighted: Vec<Vec<(usize, f64)>> = vec![Vec::new(); size];
    for (a, row) in weighted.iter_mut().enumerate() {
        for b in 0..size {
            let weight = u8::from(choice(a, b)) + u8::from(choice(b, a));
            if weight > 0 {
                row.push((b, f64::from(weight)));
            }
        }
    }
    let communities = communities(&weighted);
    let left_out_named = questions
        .iter()
        .find(|(q, _)| *q == Question::LeftOut)
        .map(|(_, m)| {
            (0..size)
                .flat_map(|i| {
                    m.row(i)
                        .iter()
                        .take(size)
                        .enumerate()
                        .filter(move |(j, cell)| *j != i && cell.unwrap_or(0) > 0)
                        .map(move |(j, _)| (i, j))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default();
    Ties {
        counts,
        choices,
        size,
        mutual_pairs,
        mutual_degree,
        not_chosen,
        without_mutual_friend,
        left_out_named,
        took_part: took_part.to_vec(),
        reciprocity,
        density,
        components,
        cliques,
        communities,
    }
}

impl Ties {
    /// Whether `i` chose `j` on the positive question.
    pub fn chooses(&self, i: usize, j: usize) -> bool {
        i < self.size
            && j < self.size
            && self
                .choices
                .get(i * self.size + j)
                .copied()
                .unwrap_or(false)
    }
}

/// Connected components (with two or more members) of the undirected graph on `size` pupils
/// with these `edges`; each sorted, ordered by first member.
pub fn connected_components(size: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    // Union-find with the smaller index as root keeps the result independent of edge order.
    let mut parent: Vec<usize> = (0..size).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while let Some(&p) = parent.get(x) {
            if p == x {
                break;
            }
            let grandparent = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(x) {
                *slot = grandparent;
            }
            x = p;
        }
        x
    }
    for &(a, b) in edges {
        if a >= size || b >= size {
            continue;
        }
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = parent.get_mut(high) {
            *slot = low;
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); size];
    for pupil in 0..size {
        let r = root(&mut parent, pupil);
        if let Some(group) = groups.get_mut(r) {
            group.push(pupil);
        }
    }
    groups.into_iter().filter(|g| g.len() >= 2).collect()
}

/// Maximal cliques of at least `min_size` members of the undirected graph on `size` pupils
/// with these `edges` (Bron–Kerbosch with Tomita pivoting on bitsets); each sorted, the list
/// sorted. Groups of more than 128 pupils get none.
pub fn maximal_cliques(size: usize, edges: &[(usize, usize)], min_size: usize) -> Vec<Vec<usize>> {
    if size > 128 {
        return Vec::new();
    }
    let mut neighbours = vec![0u128; size];
    for &(a, b) in edges {
        if a < size && b < size && a != b {
            if let Some(n) = neighbours.get_mut(a) {
                *n |= 1u128 << b;
            }
            if let Some(n) = neighbours.get_mut(b) {
                *n |= 1u128 << a;
            }
        }
    }
    // Only pupils with at least one edge can be in a clique of two or more.
    let candidates = neighbours
        .iter()
        .enumerate()
        .filter(|(_, n)| **n != 0)
        .fold(0u128, |set, (i, _)| set | (1u128 << i));
    let mut cliques = Vec::new();
    bron_kerbosch(0, candidates, 0, &neighbours, min_size, &mut cliques);
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
    // Weighted adjacency lists: the input at the first level, then the aggregated graph
    // (where self-loops appear).
    let mut aggregated_graph: Option<Vec<Vec<(usize, f64)>>> = None;
    for _level in 0..16 {
        let graph: &[Vec<(usize, f64)>] = aggregated_graph.as_deref().unwrap_or(neighbours);
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
        aggregated_graph = Some(
            aggregated
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter(|(_, w)| **w > 0.0)
                        .map(|(j, w)| (j, *w))
                        .collect()
                })
                .collect(),
        );
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

    #[test]
    fn maximal_cliques_of_three_or_more_are_found_once_each() {
        // A 4-clique {0,1,2,3}, a triangle {3,4,5} sharing pupil 3, a pair {6,7}, pupil 8 alone.
        let edges: &[(usize, usize)] = &[
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
        ];
        assert_eq!(
            maximal_cliques(9, edges, 3),
            vec![vec![0, 1, 2, 3], vec![3, 4, 5]]
        );
        assert_eq!(
            connected_components(9, edges),
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
