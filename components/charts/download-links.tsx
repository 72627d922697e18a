/** "Download data" and "Download image: SVG PNG" beside a chart's title, with the chart's filters. */
export function DownloadLinks({
  title,
  download,
  image,
}: {
  title: string;
  download?: string;
  image?: { svg: string; png: string };
}) {
  return (
    <>
      {download && (
        <a className="download-link" href={download} download aria-label={`Download data: ${title}`}>
          Download data
        </a>
      )}
      {image && (
        <span className="download-link download-image">
          Download image:{" "}
          <a href={image.svg} download aria-label={`Download image as SVG: ${title}`}>
            SVG
          </a>{" "}
          <a href={image.png} download aria-label={`Download image as PNG: ${title}`}>
            PNG
          </a>
        </span>
      )}
    </>
  );
}
