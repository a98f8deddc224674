package io.jllm.tools.wiki;

import io.jllm.tools.ToolException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A Lucene BM25 index over the passages of a corpus, cached on disk. The cache folder is named by a hash of the
 * corpus path and a hash of its files' names, sizes and modification times, so an unchanged corpus reopens its
 * index and a changed one is indexed again (the stale index of the same corpus is then deleted). An index is
 * built in a temporary folder and moved into place only when complete, so a crash never leaves a half index.
 */
final class WikiIndex implements Closeable {

    /** Bumped when passage splitting or fields change, so old caches are not reused. */
    private static final String FORMAT = "wiki-index-1";
    private static final String TITLE = "title";
    private static final String TEXT = "text";
    private static final Duration ABANDONED_BUILD = Duration.ofHours(1);

    private final Path location;
    private final boolean freshlyBuilt;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer analyzer = new EnglishAnalyzer();

    private WikiIndex(Path location, boolean freshlyBuilt) throws IOException {
        this.location = location;
        this.freshlyBuilt = freshlyBuilt;
        this.directory = new MMapDirectory(location);
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
    }

    /** Opens the cached index of {@code corpus} under {@code cacheDir}, building it first when needed. */
    static WikiIndex openOrBuild(Path corpus, Path cacheDir) throws ToolException, IOException {
        Path source = corpus.toAbsolutePath().normalize();
        List<Path> files = CorpusReader.files(source);
        String corpusKey = hash(source.toString());
        Path location = cacheDir.resolve(corpusKey + "-" + hash(stamp(files)));
        if (Files.isDirectory(location)) {
            return new WikiIndex(location, false);
        }
        Files.createDirectories(cacheDir);
        Path temporary = cacheDir.resolve(location.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            build(source, files, temporary);
            moveIntoPlace(temporary, location);
        } finally {
            deleteRecursively(temporary);
        }
        deleteStale(cacheDir, corpusKey, location);
        return new WikiIndex(location, true);
    }

    Path location() {
        return location;
    }

    /** Whether this opening built the index rather than reusing a cached one. */
    boolean freshlyBuilt() {
        return freshlyBuilt;
    }

    int passageCount() {
        return reader.numDocs();
    }

    /** The passage scoring best for the query under BM25, over titles and texts. */
    Optional<String> best(String query) throws ToolException, IOException {
        Query parsed;
        try {
            MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {TITLE, TEXT}, analyzer);
            parsed = parser.parse(QueryParser.escape(query));
        } catch (ParseException e) {
            throw new ToolException(e.getCause() instanceof IndexSearcher.TooManyClauses
                    ? "query has too many words" : "cannot parse the query");
        }
        TopDocs top;
        try {
            top = searcher.search(parsed, 1);
        } catch (IndexSearcher.TooManyClauses e) {
            throw new ToolException("query has too many words");
        }
        if (top.scoreDocs.length == 0) {
            return Optional.empty();
        }
        ScoreDoc hit = top.scoreDocs[0];
        return Optional.of(searcher.storedFields().document(hit.doc).get(TEXT));
    }

    @Override
    public void close() throws IOException {
        IOUtils.close(reader, directory, analyzer);
    }

    private static void build(Path corpus, List<Path> files, Path temporary) throws ToolException, IOException {
        IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
                .setSimilarity(new BM25Similarity())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        int[] passages = {0};
        try (Directory dir = new MMapDirectory(temporary); IndexWriter writer = new IndexWriter(dir, config)) {
            CorpusReader.read(corpus, files, article -> {
                for (String passage : Passages.split(article.text())) {
                    Document doc = new Document();
                    doc.add(new TextField(TITLE, article.title(), Field.Store.YES));
                    doc.add(new TextField(TEXT, passage, Field.Store.YES));
                    writer.addDocument(doc);
                    passages[0]++;
                }
            });
            writer.commit();
        }
        if (passages[0] == 0) {
            throw new ToolException("corpus holds no text: " + corpus);
        }
    }

    private static void moveIntoPlace(Path temporary, Path location) throws IOException {
        try {
            Files.move(temporary, location, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another process built the same index meanwhile: use theirs
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, location);
        }
    }

    /** Removes older indexes of the same corpus, and builds abandoned long ago (a killed process). */
    private static void deleteStale(Path cacheDir, String corpusKey, Path keep) throws IOException {
        Instant abandoned = Instant.now().minus(ABANDONED_BUILD);
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                boolean building = name.contains(".tmp-");
                if (name.startsWith(corpusKey + "-") && !entry.equals(keep)
                        && (!building || Files.getLastModifiedTime(entry).toInstant().isBefore(abandoned))) {
                    deleteRecursively(entry);
                }
            }
        }
    }

    private static String stamp(List<Path> files) throws IOException {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        for (Path file : files) {
            sb.append(file).append('\t').append(Files.size(file)).append('\t')
                    .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        }
        return sb.toString();
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
