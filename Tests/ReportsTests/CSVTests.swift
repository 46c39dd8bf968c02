import Reports
import Studies
import Testing

@Suite("CSV")
struct CSVTests {
    @Test("Fields are quoted per RFC 4180, including CR LF (one Character in Swift)")
    func quoting() {
        #expect(CSVTable.quoted("plain") == "plain")
        #expect(CSVTable.quoted("a,b") == "\"a,b\"")
        #expect(CSVTable.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.quoted("a\r\nb") == "\"a\r\nb\"")
        var table = CSVTable(header: ["x", "y"])
        table.append(["1", "activation=relu,seed=0"])
        #expect(table.text == "x,y\n1,\"activation=relu,seed=0\"\n")
        #expect(CSVTable.number(0.1) == "0.1" && CSVTable.number(.nan) == "nan")
    }

    @Test("Parsing numbers each row by the line it starts on, across quoted line breaks, and finds an open quote")
    func numberedParse() {
        let parsed = CSVTable.parseNumbered("a,b\n1,\"x\ny\"\n2,z\n")
        #expect(parsed.rows.map(\.line) == [1, 2, 4] && parsed.rows[1].fields == ["1", "x\ny"] && parsed.unterminatedQuoteLine == nil)
        #expect(CSVTable.parseNumbered("a,b\n1,\"open\n2,3\n").unterminatedQuoteLine == 2)
        #expect(CSVTable.parse("a,b\r\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test("Significant-digit formatting")
    func significant() {
        #expect(formatSignificant(0.77351, 3) == "0.774")
        #expect(formatSignificant(1.8, 3) == "1.80")
        #expect(formatSignificant(166.2, 3) == "166")
        #expect(formatSignificant(0, 3) == "0")
        #expect(Estimate([0.775, 0.7734, 0.7707]).text() == "0.773 ± 0.005")  // sd 0.00217, t(0.975, 2) = 4.303
        #expect(Estimate([1.82, 1.79, 1.78]).text() == "1.80 ± 0.05")
        #expect(Estimate([0.0050, 0.0049, 0.0041]).text() == "0.0047 ± 0.0012")
        #expect(Estimate([-0.0002, 0.0003, -0.0002]).text() == "0.0000 ± 0.0007")
        #expect(Estimate([2.0]).text() == "2.00")
        #expect(Estimate([1.0, 1.0]).text() == "1.00")
        #expect(Estimate([.nan, .nan]).text() == "undefined")
        #expect(Estimate([1.82, .nan, 1.79, 1.78]).text() == "1.80 ± 0.05 (1 undefined)")
    }
}
