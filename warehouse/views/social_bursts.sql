-- Coordinated bursts of near-duplicate negative social posts, one row per burst, for analysts.
-- The posts are flagged, not removed: they still count in every other view. share_of_week is the
-- burst's posts over all negative social posts of its ISO week (by first_at).
-- Drill down: SELECT f.* FROM burst_members m JOIN feedback f ON f.id = m.feedback_id WHERE m.burst_id = ?
CREATE OR REPLACE VIEW social_bursts AS
WITH neg_social AS (
    SELECT date_trunc('week', created_at)::DATE AS week, count(*) AS posts
    FROM feedback
    WHERE kind = 'social' AND label = 'negative'
    GROUP BY 1
)
SELECT b.burst_id,
       date_trunc('week', b.first_at)::DATE AS week,
       strftime(b.first_at, '%G-W%V') AS iso_week,
       b.first_at,
       b.last_at,
       round(date_diff('second', b.first_at, b.last_at) / 3600.0, 1) AS hours,
       b.posts,
       b.accounts,
       b.similarity,
       b.representative,
       b.representative_id,
       b.pain_point_id,
       p.label AS pain_point_label,
       b.posts / nullif(n.posts, 0) AS share_of_week,
       b.run_id,
       b.detected_at
FROM bursts AS b
LEFT JOIN pain_points AS p ON p.id = b.pain_point_id
LEFT JOIN neg_social AS n ON n.week = date_trunc('week', b.first_at)::DATE;
