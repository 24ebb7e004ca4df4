-- 002_sentiment_models: every sentiment model the pipeline used or considered, and why.
-- `voc train --from-warehouse` trains a domain model from the warehouse's own ratings and NPS scores
-- and records it here with its held-out score next to the score of the model in use on the same slice.
-- At most one row is active; with none, the pipeline uses the model shipped in models/sentiment/.

CREATE TABLE sentiment_models (
    model_id           VARCHAR PRIMARY KEY,   -- the model's version string (also feedback.model_version prefix)
    path               VARCHAR NOT NULL,      -- the model file
    origin             VARCHAR NOT NULL CHECK (origin IN ('warehouse', 'file')),
    trained_at         TIMESTAMP NOT NULL,
    train_docs         BIGINT NOT NULL CHECK (train_docs >= 0),
    holdout_docs       BIGINT NOT NULL CHECK (holdout_docs >= 0),
    holdout_macro_f1   DOUBLE,                -- this model on the held-out slice
    baseline_model_id  VARCHAR NOT NULL,      -- the model in use when this one was trained
    baseline_macro_f1  DOUBLE,                -- that model on the same slice
    active             BOOLEAN NOT NULL DEFAULT false,
    decision           VARCHAR NOT NULL CHECK (decision IN ('switched', 'kept current')),
    reason             VARCHAR NOT NULL DEFAULT ''
);
