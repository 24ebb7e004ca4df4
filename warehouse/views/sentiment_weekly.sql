-- Document sentiment per ISO week (Monday start) and kind of source; enriched feedback only.
CREATE OR REPLACE VIEW sentiment_weekly AS
SELECT
    date_trunc('week', created_at)::DATE                            AS week,
    strftime(date_trunc('week', created_at)::DATE, '%G-W%V')        AS iso_week,
    kind,
    count(*)                                                        AS docs,
    avg(sentiment)                                                  AS avg_sentiment,
    avg(CASE WHEN label = 'negative' THEN 1.0 ELSE 0.0 END)         AS negative_share,
    avg(CASE WHEN label = 'positive' THEN 1.0 ELSE 0.0 END)         AS positive_share
FROM feedback
WHERE sentiment IS NOT NULL
GROUP BY ALL
ORDER BY week, kind;
