package org.btrelay.bench;

/** Event counters of one worker for one phase (warm-up or measured); plain fields, one thread. */
final class Counts {
    long responses;
    long announceReplies;
    long offersReceived;
    long answersReceived;
    long scrapeReplies;
    long failures;
    long unexpected;
    long announcesSent;
    long answersSent;
    long scrapesSent;
    long bytesIn;
    long bytesOut;

    void add(Counts o) {
        responses += o.responses;
        announceReplies += o.announceReplies;
        offersReceived += o.offersReceived;
        answersReceived += o.answersReceived;
        scrapeReplies += o.scrapeReplies;
        failures += o.failures;
        unexpected += o.unexpected;
        announcesSent += o.announcesSent;
        answersSent += o.answersSent;
        scrapesSent += o.scrapesSent;
        bytesIn += o.bytesIn;
        bytesOut += o.bytesOut;
    }
}
