export default function Home() {
  return <p>Bazaar</p>;
}
